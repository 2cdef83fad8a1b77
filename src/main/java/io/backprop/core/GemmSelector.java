package io.backprop.core;

import java.lang.System.Logger.Level;

/** Chooses the GEMM kernel once per JVM and says which in the log. */
final class GemmSelector {

    private static final System.Logger LOG = System.getLogger(GemmSelector.class.getName());
    private static final boolean VECTOR_AVAILABLE = probe();

    private GemmSelector() {
    }

    static Gemm create() {
        if (VECTOR_AVAILABLE && !Boolean.getBoolean("backprop.gemm.ejml")) {
            return new VectorGemm();
        }
        return new EjmlGemm();
    }

    private static boolean probe() {
        if (Boolean.getBoolean("backprop.gemm.ejml")) {
            LOG.log(Level.INFO, "GEMM kernel: ejml (forced by -Dbackprop.gemm.ejml=true)");
            return false;
        }
        try {
            // Touching the class links jdk.incubator.vector; without the module this throws.
            String name = new VectorGemm().name();
            LOG.log(Level.INFO, "GEMM kernel: " + name);
            return true;
        } catch (LinkageError e) {
            LOG.log(Level.WARNING, "GEMM kernel: ejml (scalar, slow); start the JVM with "
                    + "--add-modules jdk.incubator.vector for the vectorized kernel (" + e + ")");
            return false;
        }
    }
}

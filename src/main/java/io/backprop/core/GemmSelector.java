package io.backprop.core;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Chooses the GEMM kernel once per JVM and says which in the log. The Vector API kernel is only fast
 * once C2 intrinsifies it: without C2 (-XX:TieredStopAtLevel below 4, -Xint, which is what Spring Boot's
 * "optimized launch" adds) every vector is a heap object and the kernel is hundreds of times slower than
 * EJML's scalar loops, so such a JVM gets EJML and one warning saying how to fix the launch.
 */
final class GemmSelector {

    private static final System.Logger LOG = System.getLogger(GemmSelector.class.getName());
    private static final String FORCE_EJML = "backprop.gemm.ejml";
    /** Keeps the vector kernel even without C2, to measure what it costs there. */
    private static final String FORCE_VECTOR = "backprop.gemm.vector";
    private static final Choice CHOICE = choose(vectorModuleLoads(),
            Boolean.getBoolean(FORCE_VECTOR) ? new JitFlags(4, false, true) : JitFlags.ofThisJvm(),
            Boolean.getBoolean(FORCE_EJML));

    private GemmSelector() {
    }

    /** The kernel for this JVM and, when it is not the fast one, the one warning to log. */
    record Choice(boolean vector, Level level, String message) {
    }

    static Gemm create() {
        return CHOICE.vector() ? new VectorGemm() : new EjmlGemm();
    }

    static {
        LOG.log(CHOICE.level(), CHOICE.message());
    }

    static Choice choose(String vectorKernel, JitFlags jit, boolean forceEjml) {
        if (forceEjml) {
            return new Choice(false, Level.INFO, "GEMM kernel: ejml (forced by -D" + FORCE_EJML + "=true)");
        }
        if (vectorKernel == null) {
            return new Choice(false, Level.WARNING, "GEMM kernel: ejml (scalar, about 20x slower): the JVM lacks the"
                    + " jdk.incubator.vector module; start it with --add-modules jdk.incubator.vector");
        }
        if (!jit.c2()) {
            return new Choice(false, Level.WARNING, "GEMM kernel: ejml (scalar, about 20x slower): this JVM runs without"
                    + " the C2 compiler (" + jit.reason() + "), which the Vector API kernel needs; remove that flag"
                    + " (for spring-boot:run, keep the plugin's optimizedLaunch=false)");
        }
        return new Choice(true, Level.INFO, "GEMM kernel: " + vectorKernel);
    }

    /** The vector kernel's description, or null when the module is missing. */
    private static String vectorModuleLoads() {
        try {
            // Touching the class links jdk.incubator.vector; without the module this throws.
            return new VectorGemm().name();
        } catch (LinkageError e) {
            return null;
        }
    }

    /**
     * The JIT settings that decide whether C2 compiles hot code.
     *
     * @param tieredStopAtLevel HotSpot's TieredStopAtLevel (4 = C2)
     * @param interpreted       -Xint
     * @param tieredCompilation -XX:+TieredCompilation (with it off, C2 compiles directly)
     */
    record JitFlags(int tieredStopAtLevel, boolean interpreted, boolean tieredCompilation) {

        boolean c2() {
            return !interpreted && (!tieredCompilation || tieredStopAtLevel >= 4);
        }

        String reason() {
            return interpreted ? "-Xint" : "-XX:TieredStopAtLevel=" + tieredStopAtLevel;
        }

        static JitFlags ofThisJvm() {
            boolean interpreted = String.valueOf(System.getProperty("java.vm.info")).contains("interpreted mode");
            try {
                var hotspot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
                return new JitFlags(Integer.parseInt(hotspot.getVMOption("TieredStopAtLevel").getValue()), interpreted,
                        Boolean.parseBoolean(hotspot.getVMOption("TieredCompilation").getValue()));
            } catch (RuntimeException | LinkageError notHotSpot) {
                return fromArguments(ManagementFactory.getRuntimeMXBean().getInputArguments(), interpreted);
            }
        }

        /** For JVMs without HotSpot's diagnostic bean: the last TieredStopAtLevel on the command line. */
        static JitFlags fromArguments(List<String> arguments, boolean interpreted) {
            int level = 4;
            boolean tiered = true;
            for (String a : arguments) {
                if (a.startsWith("-XX:TieredStopAtLevel=")) {
                    level = Integer.parseInt(a.substring("-XX:TieredStopAtLevel=".length()).trim());
                } else if (a.equals("-XX:-TieredCompilation")) {
                    tiered = false;
                } else if (a.equals("-Xint")) {
                    interpreted = true;
                }
            }
            return new JitFlags(level, interpreted, tiered);
        }
    }
}

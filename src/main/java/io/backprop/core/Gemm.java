package io.backprop.core;

import org.ejml.data.FMatrixRMaj;

/**
 * The three matrix products of backpropagation. Each overwrites {@code c}, which the caller has shaped
 * (EJML's {@code reshape} keeps the array when it is large enough, so no step allocates).
 */
public interface Gemm {

    /** c = a · b; a (m, k), b (k, n), c (m, n). Modifies {@code c}. */
    void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c);

    /** c = aᵀ · b; a (k, m), b (k, n), c (m, n). Modifies {@code c}. */
    void multTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c);

    /** c = a · bᵀ; a (m, k), b (n, k), c (m, n). Modifies {@code c}. */
    void multTransB(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c);

    /** What to log: which kernel runs. */
    String name();

    /**
     * A new instance of the fastest kernel this JVM can run: the Vector API one when the process was
     * started with {@code --add-modules jdk.incubator.vector}, EJML's otherwise. Instances hold scratch
     * space, so each training thread takes its own.
     */
    static Gemm create() {
        return GemmSelector.create();
    }
}

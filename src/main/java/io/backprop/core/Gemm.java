package io.backprop.core;

import org.ejml.data.FMatrixRMaj;

/**
 * The three matrix products of backpropagation, and the two passes that broadcast a bias over their rows
 * and sum it back. Each product overwrites {@code c}, which the caller has shaped (EJML's {@code reshape}
 * keeps the array when it is large enough, so no step allocates).
 */
public interface Gemm {

    /** c = a · b; a (m, k), b (k, n), c (m, n). Modifies {@code c}. */
    void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c);

    /** c = aᵀ · b; a (k, m), b (k, n), c (m, n). Modifies {@code c}. */
    void multTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c);

    /** c = a · bᵀ; a (m, k), b (n, k), c (m, n). Modifies {@code c}. */
    void multTransB(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c);

    /** c = a · b with b (k, n) in the {@link Panels} layout; a (m, k) and c (m, n) row-major. Modifies {@code c}. */
    void multPanels(FMatrixRMaj a, float[] b, FMatrixRMaj c);

    /** c = aᵀ · b into the {@link Panels} layout; a (k, m), b (k, n), c (m, n). Modifies {@code c}. */
    void multTransAPanels(FMatrixRMaj a, FMatrixRMaj b, float[] c);

    /**
     * z[r][j] += b[j] for the first {@code rows} rows. Modifies {@code z}. A plain loop here: HotSpot
     * leaves it scalar (about 1.2 cycles an element), so the Vector API kernel overrides it.
     */
    default void addBias(float[] z, float[] b, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            for (int j = 0; j < cols; j++) {
                z[off + j] += b[j];
            }
        }
    }

    /** sums[j] = Σ_r m[r][j], added in row order. Modifies {@code sums}. */
    default void columnSums(float[] m, int rows, int cols, float[] sums) {
        java.util.Arrays.fill(sums, 0, cols, 0f);
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            for (int j = 0; j < cols; j++) {
                sums[j] += m[off + j];
            }
        }
    }

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

package io.backprop.core;

/**
 * The column-panel layout of a matrix (rows, cols): its columns in panels {@link #WIDTH} wide, each
 * panel's rows contiguous, so element (r, c) sits at {@code (c / W)·rows·W + r·W + c % W}. The first
 * layer's weights, their gradient and the optimizer's state for them train in this layout: the column
 * range each core computes of a split product ({@link CorePool#columns}, whole panels) is then one
 * contiguous stretch of memory, which that core alone reads and writes, and the forward product reads
 * B's panels in place instead of packing them.
 *
 * <p>Row-major, each core's columns were a 256-byte stretch of every 512-byte row of 784-128-10's first
 * layer: the line a row's halves share was written by both cores, and the prefetchers brought the
 * other core's lines along, so updating each half on the core that computes it was slower than
 * updating all of it on one (README, "Why 784-128-10 gains so little from the second core").
 */
final class Panels {

    static final int WIDTH = CorePool.COLUMN_UNIT;

    private Panels() {
    }

    /** Whether a matrix with this many columns is made of whole panels. */
    static boolean fits(int cols) {
        return cols % WIDTH == 0;
    }

    /** dst = src in the panel layout; src row-major (rows, cols). Modifies {@code dst}. */
    static void fromRowMajor(float[] src, int rows, int cols, float[] dst) {
        for (int c0 = 0, o = 0; c0 < cols; c0 += WIDTH) {
            for (int r = 0; r < rows; r++, o += WIDTH) {
                System.arraycopy(src, r * cols + c0, dst, o, WIDTH);
            }
        }
    }

    /** dst row-major (rows, cols) = src in the panel layout. Modifies {@code dst}. */
    static void toRowMajor(float[] src, int rows, int cols, float[] dst) {
        for (int c0 = 0, o = 0; c0 < cols; c0 += WIDTH) {
            for (int r = 0; r < rows; r++, o += WIDTH) {
                System.arraycopy(src, o, dst, r * cols + c0, WIDTH);
            }
        }
    }
}

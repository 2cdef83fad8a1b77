package io.backprop.core;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.ejml.data.FMatrixRMaj;

/**
 * Register-blocked float32 GEMM on the Vector API, working on EJML's row-major arrays in place.
 *
 * <p>Two micro-kernels (the BLIS / GotoBLAS idea: A and B packed per K block of {@value #KC} into
 * contiguous panels, so each step does one bounds check instead of ten):
 * <ul>
 *   <li>{@code nn}: an 8 × 2-vector tile of C held in 16 registers; each k-step loads two vectors of a
 *   row of B and broadcasts eight elements of A. Vectorizes along n; A may be read transposed through
 *   its strides, which gives {@code aᵀ·b} for free.</li>
 *   <li>{@code dot}: a 4 × 4 tile of dot products vectorized along k, for {@code a·bᵀ}.</li>
 * </ul>
 * Where the vectorized dimension is narrower than one vector (the output layer's 10 units), the
 * product is rearranged through a transpose into scratch so the wide dimension is vectorized.
 * Not thread-safe: the scratch is per instance.
 */
final class VectorGemm implements Gemm {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** K block: a 256-row panel of two B vectors (32 KiB at 512 bits) stays in L1 across a column of tiles. */
    private static final int KC = 256;
    /** Rows of A packed at a time (a multiple of 8): 256 KiB of a row-major A, within L2. */
    private static final int MC = 256;
    /** Layouts of {@link #nn}'s B and C besides row-major: the {@link Panels} layout. */
    private static final int B_PANELS = 1;
    private static final int C_PANELS = 2;
    private static final int W = Panels.WIDTH;
    /** Whether a kernel panel (2L columns) lies within one layout panel; else panelled operands are converted. */
    private static final boolean PANELS_FIT = W % (2 * L) == 0;

    /** Each helper thread's own kernel: the packing buffers are per instance. */
    private static final ThreadLocal<VectorGemm> HELPER = ThreadLocal.withInitial(VectorGemm::new);

    private float[] scratch = new float[0];
    private float[] packedA = new float[0];
    private float[] packedB = new float[0];

    @Override
    public String name() {
        return "vector-api (" + S.vectorBitSize() + "-bit, " + L + " floats)";
    }

    @Override
    public void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        int m = a.numRows;
        int k = a.numCols;
        int n = b.numCols;
        checkShape(b.numRows == k && c.numRows == m && c.numCols == n);
        if (n >= L || k < L) {
            split(a.data, k, 1, b.data, false, 0, n, c.data, m, k);
        } else {
            float[] bt = scratch(k * n);
            transpose(b.data, k, n, bt);
            dot(a.data, bt, c.data, 0, m, n, k);
        }
    }

    @Override
    public void multTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        int k = a.numRows;
        int m = a.numCols;
        int n = b.numCols;
        checkShape(b.numRows == k && c.numRows == m && c.numCols == n);
        if (n >= L || m < L) {
            split(a.data, 1, m, b.data, false, 0, n, c.data, m, k);
        } else {
            // cᵀ (n, m) = bᵀ · a vectorizes along m, the wide side
            float[] ct = scratch(n * m);
            nn(b.data, 1, n, a.data, m, ct, n, k);
            transpose(ct, n, m, c.data);
        }
    }

    @Override
    public void multTransB(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        int m = a.numRows;
        int k = a.numCols;
        int n = b.numRows;
        checkShape(b.numCols == k && c.numRows == m && c.numCols == n);
        if (n < L) {
            dot(a.data, b.data, c.data, 0, m, n, k);
        } else {
            // b is read transposed while B's panels are packed, so there is no transposed copy to make
            // first (on one thread) and read back from the other cores
            split(a.data, k, 1, b.data, true, 0, n, c.data, m, k);
        }
    }

    /** B's panels are read in place: nothing is packed. */
    @Override
    public void multPanels(FMatrixRMaj a, float[] b, FMatrixRMaj c) {
        int m = a.numRows;
        int k = a.numCols;
        int n = c.numCols;
        checkShape(c.numRows == m && Panels.fits(n) && b.length >= k * n);
        if (PANELS_FIT) {
            split(a.data, k, 1, b, false, B_PANELS, n, c.data, m, k);
        } else {
            FMatrixRMaj rowMajor = FMatrixRMaj.wrap(k, n, scratch(k * n));
            Panels.toRowMajor(b, k, n, rowMajor.data);
            mult(a, rowMajor, c);
        }
    }

    @Override
    public void multTransAPanels(FMatrixRMaj a, FMatrixRMaj b, float[] c) {
        int k = a.numRows;
        int m = a.numCols;
        int n = b.numCols;
        checkShape(b.numRows == k && Panels.fits(n) && c.length >= m * n);
        if (PANELS_FIT) {
            split(a.data, 1, m, b.data, false, C_PANELS, n, c, m, k);
        } else {
            FMatrixRMaj rowMajor = FMatrixRMaj.wrap(m, n, new float[m * n]);
            multTransA(a, b, rowMajor);
            Panels.fromRowMajor(rowMajor.data, m, n, c);
        }
    }

    /**
     * {@link #nn} shared with the helpers {@link CorePool} lends. Where C is wide enough, each thread
     * computes a range of its columns ({@link CorePool#columns}, whole panels): a layer's weights are
     * then read by the forward product, and their gradient written by the backward one, on the same
     * thread, so they stay in that core's cache (split by rows, both cores read every weight, and every
     * weight the optimizer writes costs a cross-core invalidation). Otherwise each thread computes whole
     * 8-row tiles (the last takes the remainder rows). Either way every element is summed in the same
     * order as on one thread, so the result is bit-identical however many threads there are.
     */
    private void split(float[] a, int ars, int acs, float[] b, boolean bt, int layout, int n, float[] c, int m, int k) {
        long macs = (long) m * n * k;
        int byColumns = CorePool.columnParts(macs, n);
        int byRows = Math.min(CorePool.partsByWork(macs), m / 8);
        boolean optional = CorePool.optional(macs);
        if (byColumns >= 2) {
            CorePool.forEachPart(byColumns, optional, (part, parts) ->
                    (part == 0 ? this : HELPER.get()).nn(a, 0, ars, acs, b, bt, layout, n, c, 0, m, k,
                            CorePool.columns(n, part, parts), CorePool.columns(n, part + 1, parts)));
        } else if (byRows >= 2 && layout == 0) {
            CorePool.forEachPart(byRows, optional, (part, parts) -> {
                int chunk = (m / parts + 7) / 8 * 8;
                int row0 = part * chunk;
                if (row0 < m) {
                    int rows = part == parts - 1 ? m - row0 : Math.min(chunk, m - row0);
                    (part == 0 ? this : HELPER.get()).nn(a, row0 * ars, ars, acs, b, bt, 0, n, c, row0 * n, rows, k, 0, n);
                }
            });
        } else {
            nn(a, 0, ars, acs, b, bt, layout, n, c, 0, m, k, 0, n);
        }
    }

    /** The same additions as the plain loop, sixteen columns at a time (measured 7-15 µs against 40 on 256 × 512). */
    @Override
    public void addBias(float[] z, float[] b, int rows, int cols) {
        int bound = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector.fromArray(S, z, off + j).add(FloatVector.fromArray(S, b, j)).intoArray(z, off + j);
            }
            for (; j < cols; j++) {
                z[off + j] += b[j];
            }
        }
    }

    /** Each column summed in row order, as the plain loop does, so the sums are bit-identical. */
    @Override
    public void columnSums(float[] m, int rows, int cols, float[] sums) {
        java.util.Arrays.fill(sums, 0, cols, 0f);
        int bound = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector.fromArray(S, sums, j).add(FloatVector.fromArray(S, m, off + j)).intoArray(sums, j);
            }
            for (; j < cols; j++) {
                sums[j] += m[off + j];
            }
        }
    }

    private static void checkShape(boolean ok) {
        if (!ok) {
            throw new IllegalArgumentException("matrix shapes do not fit the product");
        }
    }

    /** Grows only, so a run allocates scratch on its first steps and never again. */
    private float[] scratch(int size) {
        if (scratch.length < size) {
            scratch = new float[size];
        }
        return scratch;
    }

    /** dst (cols, rows) = srcᵀ, src (rows, cols), in 16 × 16 blocks to stay in cache. Modifies {@code dst}. */
    private static void transpose(float[] src, int rows, int cols, float[] dst) {
        final int block = 16;
        for (int i0 = 0; i0 < rows; i0 += block) {
            int iEnd = Math.min(i0 + block, rows);
            for (int j0 = 0; j0 < cols; j0 += block) {
                int jEnd = Math.min(j0 + block, cols);
                for (int i = i0; i < iEnd; i++) {
                    int off = i * cols;
                    for (int j = j0; j < jEnd; j++) {
                        dst[j * rows + i] = src[off + j];
                    }
                }
            }
        }
    }

    /**
     * c (m, n) = A · b with A(i, p) = a[i·ars + p·acs] and b row-major (k, n). Modifies {@code c}.
     *
     * <p>Per K block, A's full 8-row panels are packed ({@link #packA}) and each pair of B vectors into a
     * contiguous (kc × 2L) panel: the micro-kernel then reads both from one index each, so the JIT
     * checks bounds once per step instead of for all ten loads.
     */
    void nn(float[] a, int ars, int acs, float[] b, int n, float[] c, int m, int k) {
        nn(a, 0, ars, acs, b, false, 0, n, c, 0, m, k, 0, n);
    }

    /**
     * {@link #nn} on rows {@code [row0, row0 + m)} of A and C, found at {@code aBase = row0·ars} and
     * {@code cBase = row0·n}: the same tiles and the same order of additions for every element as the
     * whole product computes, as long as {@code row0} is a multiple of 8 (rows are tiled in eights).
     * With {@code bt}, b holds Bᵀ row-major (n, k) and is read transposed as B's panels are packed. Only
     * columns {@code [jFrom, jTo)} of C are computed; jFrom must be a multiple of 2L for the same tiles.
     * {@code layout} says which of B and C are in the {@link Panels} layout (then whole rows, cBase 0, and
     * the columns whole panels): B's panels are read in place, C's tiles written with the panel's stride.
     */
    void nn(float[] a, int aBase, int ars, int acs, float[] b, boolean bt, int layout, int n, float[] c, int cBase,
            int m, int k, int jFrom, int jTo) {
        int kcMax = Math.min(KC, k);
        // a row-major A's panel keeps KC floats a row, so the kernel's eight rows are constants apart
        int packedASize = Math.min(MC, m - m % 8) * (acs == 1 ? KC : kcMax);
        if (packedA.length < packedASize) {
            packedA = new float[packedASize];
        }
        // with bt, the columns past the last 2L panel are packed too, behind it
        int packedBSize = (layout & B_PANELS) != 0 ? 0 : kcMax * (bt ? 2 * L + (jTo - jFrom) % (2 * L) : 2 * L);
        if (packedB.length < packedBSize) {
            packedB = new float[packedBSize];
        }
        // MC rows at a time, so the packed A has one size however many rows a prediction sends; every
        // element still adds up its K blocks in order
        for (int i0 = 0; i0 < m; i0 += MC) {
            int mc = Math.min(MC, m - i0);
            int blockA = aBase + i0 * ars;
            int blockC = cBase + i0 * ((layout & C_PANELS) != 0 ? W : n);
            for (int k0 = 0; k0 < k; k0 += KC) {
                int kc = Math.min(KC, k - k0);
                packA(a, blockA, ars, acs, k0, kc, mc - mc % 8, packedA);
                nnBlock(a, blockA, ars, acs, b, bt, layout, n, c, blockC, m, mc, k, k0, kc, k0 > 0, packedA, packedB,
                        jFrom, jTo);
            }
        }
    }

    /**
     * Packs rows [0, m8) of A over columns [k0, k0 + kc). A row-major A ({@code acs == 1}) is copied row by
     * row, KC floats apart, for {@link #tile8x2Rows}: interleaving it is a transpose, which took a fifth of
     * 64×784·784×128 (27 of 141 µs, measured 2026-12-07), and again on every core the product was split
     * across. A read transposed has each step's 8 rows next to each other, and is interleaved as 8-row
     * panels ({@code p·8 + r}) for {@link #tile8x2}. Modifies {@code dst}.
     */
    private static void packA(float[] a, int aBase, int ars, int acs, int k0, int kc, int m8, float[] dst) {
        if (acs == 1) {
            for (int r = 0; r < m8; r++) {
                System.arraycopy(a, aBase + r * ars + k0, dst, r * KC, kc);
            }
            return;
        }
        for (int i = 0; i < m8; i += 8) {
            int panel = i * kc;
            for (int p = 0, src = aBase + i + k0 * acs; p < kc; p++, src += acs) {
                System.arraycopy(a, src, dst, panel + p * 8, 8);
            }
        }
    }

    /** One K block: with {@code add}, accumulates into c instead of overwriting it. Modifies {@code c}. */
    private static void nnBlock(float[] a, int aBase, int ars, int acs, float[] b, boolean bt, int layout, int n,
                                float[] c, int cBase, int cRows, int m, int k, int k0, int kc, boolean add, float[] pa,
                                float[] pb, int jFrom, int jTo) {
        int width = jTo - jFrom;
        int n2 = jTo - width % (2 * L);
        int n1 = jTo - width % L;
        int m8 = m - m % 8;
        int aOff = aBase + k0 * acs;
        for (int j = jFrom; j < n2; j += 2 * L) {
            // this kernel panel of B: element (k0 + p, j) at pbs[bo + p·bs]
            float[] pbs = pb;
            int bo = 0;
            int bs = 2 * L;
            if ((layout & B_PANELS) != 0) {
                pbs = b;
                bo = (j / W) * k * W + j % W + k0 * W;
                bs = W;
            } else if (bt) {
                for (int jj = 0; jj < 2 * L; jj++) {
                    for (int p = 0, src = (j + jj) * k + k0; p < kc; p++, src++) {
                        pb[p * 2 * L + jj] = b[src];
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(b, k0 * n + p * n + j, pb, p * 2 * L, 2 * L);
                }
            }
            // C(i, j) at c[cj + i·cs]
            int cs = n;
            int cj = cBase + j;
            if ((layout & C_PANELS) != 0) {
                cs = W;
                cj = (j / W) * cRows * W + j % W + cBase;
            }
            for (int i = 0; i < m8; i += 8) {
                if (acs == 1) {
                    tile8x2Rows(pa, i * KC, pbs, bo, bs, cs, c, cj + i * cs, kc, add);
                } else {
                    tile8x2(pa, i * kc, pbs, bo, bs, cs, c, cj + i * cs, kc, add);
                }
            }
            for (int i = m8; i < m; i++) {
                tile1x1(a, ars, acs, aOff, pbs, bo - j, bs, cs, c, cj - j, i, j, kc, add);
                tile1x1(a, ars, acs, aOff, pbs, bo - j, bs, cs, c, cj - j, i, j + L, kc, add);
            }
        }
        // the remaining columns [n2, n) read B row-major with row stride bs from bOff (column j at bOff + j)
        float[] rb = b;
        int bOff = k0 * n;
        int bs = n;
        if (bt && n2 < jTo) {
            int rest = jTo - n2;
            int base = kc * 2 * L;
            for (int j = n2; j < jTo; j++) {
                for (int p = 0, src = j * k + k0; p < kc; p++, src++) {
                    pb[base + p * rest + j - n2] = b[src];
                }
            }
            rb = pb;
            bOff = base - n2;
            bs = rest;
        }
        for (int i = 0; i < m8; i += 8) {
            for (int j = n2; j < n1; j += L) {
                tile8x1(a, ars, acs, aOff, rb, bOff, bs, n, c, cBase, i, j, kc, add);
            }
            for (int r = i; r < i + 8; r++) {
                scalarRow(a, ars, acs, aOff, rb, bOff, bs, n, c, cBase, r, n1, jTo, kc, add);
            }
        }
        for (int i = m8; i < m; i++) {
            for (int j = n2; j < n1; j += L) {
                tile1x1(a, ars, acs, aOff, rb, bOff, bs, n, c, cBase, i, j, kc, add);
            }
            scalarRow(a, ars, acs, aOff, rb, bOff, bs, n, c, cBase, i, n1, jTo, kc, add);
        }
    }

    private static FloatVector init(float[] c, int offset, boolean add) {
        return add ? FloatVector.fromArray(S, c, offset) : FloatVector.zero(S);
    }

    /**
     * An 8 × 2L tile of C from panels: pa (kc × 8, interleaved) and B's 2L columns, row p at
     * {@code pb[pbOff + p·bs]}; C's rows {@code n} apart from its top-left element at {@code r0}.
     */
    private static void tile8x2(float[] pa, int paOff, float[] pb, int pbOff, int bs, int n, float[] c, int r0, int k,
                                boolean add) {
        FloatVector c00 = init(c, r0, add), c01 = init(c, r0 + L, add);
        FloatVector c10 = init(c, r0 + n, add), c11 = init(c, r0 + n + L, add);
        FloatVector c20 = init(c, r0 + 2 * n, add), c21 = init(c, r0 + 2 * n + L, add);
        FloatVector c30 = init(c, r0 + 3 * n, add), c31 = init(c, r0 + 3 * n + L, add);
        FloatVector c40 = init(c, r0 + 4 * n, add), c41 = init(c, r0 + 4 * n + L, add);
        FloatVector c50 = init(c, r0 + 5 * n, add), c51 = init(c, r0 + 5 * n + L, add);
        FloatVector c60 = init(c, r0 + 6 * n, add), c61 = init(c, r0 + 6 * n + L, add);
        FloatVector c70 = init(c, r0 + 7 * n, add), c71 = init(c, r0 + 7 * n + L, add);
        for (int p = 0; p < k; p++) {
            int bo = pbOff + p * bs;
            int ao = paOff + p * 8;
            FloatVector b0 = FloatVector.fromArray(S, pb, bo);
            FloatVector b1 = FloatVector.fromArray(S, pb, bo + L);
            FloatVector x = FloatVector.broadcast(S, pa[ao]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, pa[ao + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, pa[ao + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, pa[ao + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, pa[ao + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, pa[ao + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, pa[ao + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, pa[ao + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        int co = r0;
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        co += n;
        c10.intoArray(c, co);
        c11.intoArray(c, co + L);
        co += n;
        c20.intoArray(c, co);
        c21.intoArray(c, co + L);
        co += n;
        c30.intoArray(c, co);
        c31.intoArray(c, co + L);
        co += n;
        c40.intoArray(c, co);
        c41.intoArray(c, co + L);
        co += n;
        c50.intoArray(c, co);
        c51.intoArray(c, co + L);
        co += n;
        c60.intoArray(c, co);
        c61.intoArray(c, co + L);
        co += n;
        c70.intoArray(c, co);
        c71.intoArray(c, co + L);
    }

    /**
     * {@link #tile8x2} for a row-major A packed row by row: the tile's eight rows of A at {@code paOff + r·KC}.
     * The offsets are constants, so the JIT addresses all eight from one register; passed in as a stride
     * or chosen by a flag inside one kernel, the same product took 131-134 µs instead of 119 (measured
     * 2026-12-07 on 64×784·784×128).
     */
    private static void tile8x2Rows(float[] pa, int paOff, float[] pb, int pbOff, int bs, int n, float[] c, int r0,
                                    int k, boolean add) {
        FloatVector c00 = init(c, r0, add), c01 = init(c, r0 + L, add);
        FloatVector c10 = init(c, r0 + n, add), c11 = init(c, r0 + n + L, add);
        FloatVector c20 = init(c, r0 + 2 * n, add), c21 = init(c, r0 + 2 * n + L, add);
        FloatVector c30 = init(c, r0 + 3 * n, add), c31 = init(c, r0 + 3 * n + L, add);
        FloatVector c40 = init(c, r0 + 4 * n, add), c41 = init(c, r0 + 4 * n + L, add);
        FloatVector c50 = init(c, r0 + 5 * n, add), c51 = init(c, r0 + 5 * n + L, add);
        FloatVector c60 = init(c, r0 + 6 * n, add), c61 = init(c, r0 + 6 * n + L, add);
        FloatVector c70 = init(c, r0 + 7 * n, add), c71 = init(c, r0 + 7 * n + L, add);
        for (int p = 0; p < k; p++) {
            int bo = pbOff + p * bs;
            int ao = paOff + p;
            FloatVector b0 = FloatVector.fromArray(S, pb, bo);
            FloatVector b1 = FloatVector.fromArray(S, pb, bo + L);
            FloatVector x = FloatVector.broadcast(S, pa[ao]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, pa[ao + KC]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, pa[ao + 2 * KC]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, pa[ao + 3 * KC]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, pa[ao + 4 * KC]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, pa[ao + 5 * KC]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, pa[ao + 6 * KC]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, pa[ao + 7 * KC]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        int co = r0;
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        co += n;
        c10.intoArray(c, co);
        c11.intoArray(c, co + L);
        co += n;
        c20.intoArray(c, co);
        c21.intoArray(c, co + L);
        co += n;
        c30.intoArray(c, co);
        c31.intoArray(c, co + L);
        co += n;
        c40.intoArray(c, co);
        c41.intoArray(c, co + L);
        co += n;
        c50.intoArray(c, co);
        c51.intoArray(c, co + L);
        co += n;
        c60.intoArray(c, co);
        c61.intoArray(c, co + L);
        co += n;
        c70.intoArray(c, co);
        c71.intoArray(c, co + L);
    }

    private static void tile8x1(float[] a, int ars, int acs, int aOff, float[] b, int bOff, int bs, int n, float[] c,
                                int cBase, int i, int j, int k, boolean add) {
        int r0 = cBase + i * n + j;
        FloatVector c0 = init(c, r0, add), c1 = init(c, r0 + n, add);
        FloatVector c2 = init(c, r0 + 2 * n, add), c3 = init(c, r0 + 3 * n, add);
        FloatVector c4 = init(c, r0 + 4 * n, add), c5 = init(c, r0 + 5 * n, add);
        FloatVector c6 = init(c, r0 + 6 * n, add), c7 = init(c, r0 + 7 * n, add);
        for (int p = 0, bo = bOff + j, ao = i * ars + aOff; p < k; p++, bo += bs, ao += acs) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            c0 = FloatVector.broadcast(S, a[ao]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[ao + ars]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[ao + 2 * ars]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[ao + 3 * ars]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, a[ao + 4 * ars]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, a[ao + 5 * ars]).fma(b0, c5);
            c6 = FloatVector.broadcast(S, a[ao + 6 * ars]).fma(b0, c6);
            c7 = FloatVector.broadcast(S, a[ao + 7 * ars]).fma(b0, c7);
        }
        int co = r0;
        c0.intoArray(c, co);
        c1.intoArray(c, co + n);
        c2.intoArray(c, co + 2 * n);
        c3.intoArray(c, co + 3 * n);
        c4.intoArray(c, co + 4 * n);
        c5.intoArray(c, co + 5 * n);
        c6.intoArray(c, co + 6 * n);
        c7.intoArray(c, co + 7 * n);
    }

    private static void tile1x1(float[] a, int ars, int acs, int aOff, float[] b, int bOff, int bs, int n, float[] c,
                                int cBase, int i, int j, int k, boolean add) {
        FloatVector acc = init(c, cBase + i * n + j, add);
        for (int p = 0, bo = bOff + j, ao = i * ars + aOff; p < k; p++, bo += bs, ao += acs) {
            acc = FloatVector.broadcast(S, a[ao]).fma(FloatVector.fromArray(S, b, bo), acc);
        }
        acc.intoArray(c, cBase + i * n + j);
    }

    private static void scalarRow(float[] a, int ars, int acs, int aOff, float[] b, int bOff, int bs, int n, float[] c,
                                  int cBase, int i, int from, int to, int k, boolean add) {
        for (int j = from; j < to; j++) {
            float sum = add ? c[cBase + i * n + j] : 0f;
            for (int p = 0, ao = i * ars + aOff; p < k; p++, ao += acs) {
                sum += a[ao] * b[bOff + p * bs + j];
            }
            c[cBase + i * n + j] = sum;
        }
    }

    /** Rows {@code [from, to)} of c (m, n) = a · bᵀ with a (m, k), b (n, k) row-major; from a multiple of 4. Modifies {@code c}. */
    static void dot(float[] a, float[] b, float[] c, int from, int to, int n, int k) {
        int m4 = to - (to - from) % 4;
        int n4 = n - n % 4;
        int kv = k - k % L;
        for (int i = from; i < m4; i += 4) {
            for (int j = 0; j < n4; j += 4) {
                dot4x4(a, b, c, i, j, n, k, kv);
            }
            for (int r = i; r < i + 4; r++) {
                for (int j = n4; j < n; j++) {
                    c[r * n + j] = dot1(a, r * k, b, j * k, k, kv);
                }
            }
        }
        for (int i = m4; i < to; i++) {
            for (int j = 0; j < n; j++) {
                c[i * n + j] = dot1(a, i * k, b, j * k, k, kv);
            }
        }
    }

    private static void dot4x4(float[] a, float[] b, float[] c, int i, int j, int n, int k, int kv) {
        int a0 = i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
        int b0 = j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S), s03 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S), s12 = FloatVector.zero(S), s13 = FloatVector.zero(S);
        FloatVector s20 = FloatVector.zero(S), s21 = FloatVector.zero(S), s22 = FloatVector.zero(S), s23 = FloatVector.zero(S);
        FloatVector s30 = FloatVector.zero(S), s31 = FloatVector.zero(S), s32 = FloatVector.zero(S), s33 = FloatVector.zero(S);
        for (int p = 0; p < kv; p += L) {
            FloatVector x0 = FloatVector.fromArray(S, a, a0 + p);
            FloatVector x1 = FloatVector.fromArray(S, a, a1 + p);
            FloatVector x2 = FloatVector.fromArray(S, a, a2 + p);
            FloatVector x3 = FloatVector.fromArray(S, a, a3 + p);
            FloatVector y = FloatVector.fromArray(S, b, b0 + p);
            s00 = x0.fma(y, s00);
            s10 = x1.fma(y, s10);
            s20 = x2.fma(y, s20);
            s30 = x3.fma(y, s30);
            y = FloatVector.fromArray(S, b, b1 + p);
            s01 = x0.fma(y, s01);
            s11 = x1.fma(y, s11);
            s21 = x2.fma(y, s21);
            s31 = x3.fma(y, s31);
            y = FloatVector.fromArray(S, b, b2 + p);
            s02 = x0.fma(y, s02);
            s12 = x1.fma(y, s12);
            s22 = x2.fma(y, s22);
            s32 = x3.fma(y, s32);
            y = FloatVector.fromArray(S, b, b3 + p);
            s03 = x0.fma(y, s03);
            s13 = x1.fma(y, s13);
            s23 = x2.fma(y, s23);
            s33 = x3.fma(y, s33);
        }
        int c0 = i * n + j;
        store4(c, c0, s00, s01, s02, s03, a, a0, b, b0, k, kv);
        store4(c, c0 + n, s10, s11, s12, s13, a, a1, b, b0, k, kv);
        store4(c, c0 + 2 * n, s20, s21, s22, s23, a, a2, b, b0, k, kv);
        store4(c, c0 + 3 * n, s30, s31, s32, s33, a, a3, b, b0, k, kv);
    }

    /** Reduces four accumulators of one row of C and adds the scalar k-tail. Modifies {@code c}. */
    private static void store4(float[] c, int co, FloatVector s0, FloatVector s1, FloatVector s2, FloatVector s3,
                               float[] a, int ao, float[] b, int b0, int k, int kv) {
        c[co] = s0.reduceLanes(VectorOperators.ADD) + tail(a, ao, b, b0, k, kv);
        c[co + 1] = s1.reduceLanes(VectorOperators.ADD) + tail(a, ao, b, b0 + k, k, kv);
        c[co + 2] = s2.reduceLanes(VectorOperators.ADD) + tail(a, ao, b, b0 + 2 * k, k, kv);
        c[co + 3] = s3.reduceLanes(VectorOperators.ADD) + tail(a, ao, b, b0 + 3 * k, k, kv);
    }

    private static float dot1(float[] a, int ao, float[] b, int bo, int k, int kv) {
        FloatVector s = FloatVector.zero(S);
        for (int p = 0; p < kv; p += L) {
            s = FloatVector.fromArray(S, a, ao + p).fma(FloatVector.fromArray(S, b, bo + p), s);
        }
        return s.reduceLanes(VectorOperators.ADD) + tail(a, ao, b, bo, k, kv);
    }

    private static float tail(float[] a, int ao, float[] b, int bo, int k, int kv) {
        float sum = 0;
        for (int p = kv; p < k; p++) {
            sum += a[ao + p] * b[bo + p];
        }
        return sum;
    }
}

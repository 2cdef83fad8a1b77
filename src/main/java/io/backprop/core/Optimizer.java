package io.backprop.core;

/**
 * {@code torch.optim} update rules over the parameter arrays of a {@link Network}. Weight decay
 * applies to every parameter, biases included, as torch does. References: torch/optim/sgd.py,
 * adam.py, adamw.py, adagrad.py, rmsprop.py (single-tensor, non-foreach paths).
 */
abstract class Optimizer {

    /**
     * Each part of a split update covers at least this many elements: tensors of twice as many or more
     * are updated in parts on the cores {@link CorePool} lends.
     */
    static final int MIN_PART_ELEMENTS = 1 << 16;
    /** Floats in a 64-byte cache line: parts start at multiples of it. */
    private static final int LINE_FLOATS = 16;

    final OptimizerSpec spec;
    /** Steps taken; Adam's bias correction needs it and a checkpoint keeps it. */
    long steps;
    /** The tensor updated in its layer's column ranges ({@link #updateByColumns}), or -1; its shape and product. */
    private int columnTensor = -1;
    private int columnRows;
    private int columnCols;
    private long columnMacs;

    Optimizer(OptimizerSpec spec) {
        this.spec = spec;
    }

    static Optimizer create(OptimizerSpec spec, float[][] params) {
        return switch (spec.type()) {
            case OptimizerSpec.SGD -> new Sgd(spec, params);
            case OptimizerSpec.ADAM, OptimizerSpec.ADAMW -> new Adam(spec, params);
            case OptimizerSpec.ADAGRAD -> new Adagrad(spec, params);
            case OptimizerSpec.RMSPROP -> new RmsProp(spec, params);
            default -> throw new IllegalArgumentException("unknown optimizer " + spec.type());
        };
    }

    /**
     * Updates tensor {@code tensor}, held in the {@link Panels} layout as (rows, cols), in the column
     * ranges its layer's products split into ({@link CorePool#columnParts}, on the same threads): each
     * range is then one contiguous stretch, and each core updates the weights it computes with and the
     * gradient it just wrote. {@code productMacs} is the layer's forward product, which sets the parts.
     */
    void updateByColumns(int tensor, int rows, int cols, long productMacs) {
        columnTensor = tensor;
        columnRows = rows;
        columnCols = cols;
        columnMacs = productMacs;
    }

    /** State values below this become zero; see {@link #flushSubnormals}. */
    static final float TINY = 1e-30f;
    /**
     * How often state is flushed. The fastest decay here is momentum 0.9: from 1e-30 it needs about 175
     * steps to reach the subnormal range (1.2e-38), so flushing every 64 steps keeps every value normal
     * while the update loops stay branch-free and vectorizable.
     */
    static final int FLUSH_EVERY = 64;

    /**
     * One update. Modifies {@code params}, {@code grads} (decay is added in place) and the state. A large
     * tensor is updated in contiguous parts on the cores {@link CorePool} lends. Each element's update
     * reads only that element, so any split gives the same result.
     *
     * <p>Contiguous, not the column ranges the layer's products split into: measured on 784-512-512-10
     * (TrainingBenchmark, 2 cores), column ranges kept each weight on the core whose products touch it
     * but made each part a 1 KiB stretch of every row, which the prefetchers stream badly; that update
     * took longer on two cores than on one (460-690 µs a step against about 200), contiguous halves
     * 270-330 µs, and training ran about 10 % faster (60,700-63,700 samples/s against 56,800-57,500).
     * A tensor in the {@link Panels} layout has contiguous column ranges, and follows its products'
     * split ({@link #updateByColumns}).
     */
    final void step(float[][] params, float[][] grads, double learningRate) {
        steps++;
        float lr = (float) learningRate;
        prepare(lr);
        for (int t = 0; t < params.length; t++) {
            int tensor = t;
            float[] p = params[t];
            float[] g = grads[t];
            int length = p.length;
            int columnParts = t == columnTensor ? CorePool.columnParts(columnMacs, columnCols) : 0;
            if (columnParts >= 2) {
                CorePool.forEachPart(columnParts, CorePool.optional(columnMacs),
                        (part, parts) -> update(tensor, p, g, lr, columnRows * CorePool.columns(columnCols, part, parts),
                                columnRows * CorePool.columns(columnCols, part + 1, parts)));
                continue;
            }
            int maxParts = length / MIN_PART_ELEMENTS;
            if (maxParts <= 1) {
                update(t, p, g, lr, 0, length);
                continue;
            }
            CorePool.forEachPart(maxParts, (part, parts) ->
                    update(tensor, p, g, lr, boundary(length, part, parts), boundary(length, part + 1, parts)));
        }
        if (steps % FLUSH_EVERY == 0) {
            flushSubnormals(state());
        }
    }

    /** The first element of part {@code part} of {@code parts}: whole cache lines' worth of floats. */
    private static int boundary(int length, int part, int parts) {
        return part >= parts ? length : (int) ((long) length * part / parts) & -LINE_FLOATS;
    }

    /** Before a step's updates: what they share (Adam's bias corrections). */
    void prepare(float lr) {
    }

    /**
     * Zeroes state values of magnitude below {@link #TINY}. A momentum buffer whose gradient stays zero
     * (a dead ReLU's weights) decays geometrically into subnormal floats, where x86 arithmetic is about
     * a hundred times slower and Java cannot set flush-to-zero. No state value that small moves a
     * float32 parameter. Depends only on the step count, so runs stay deterministic. Modifies {@code state}.
     */
    static void flushSubnormals(float[][] state) {
        for (float[] s : state) {
            for (int i = 0; i < s.length; i++) {
                if (Math.abs(s[i]) < TINY) {
                    s[i] = 0f;
                }
            }
        }
    }

    /** Updates elements {@code [from, to)} of tensor {@code tensor}. */
    abstract void update(int tensor, float[] p, float[] g, float lr, int from, int to);

    /** Back to a checkpoint's step count and state. Modifies this optimizer's state arrays. */
    final void restore(long checkpointSteps, float[][] checkpointState) {
        steps = checkpointSteps;
        Checkpoint.copyInto(checkpointState, state(), "optimizer state");
    }

    /**
     * The state buffers, in a fixed order, for checkpoints; restoring writes into these arrays. Whole sets
     * of one buffer per parameter, each set in the parameters' order ({@link TrainingLayout} relies on it).
     */
    abstract float[][] state();

    static float[][] zerosLike(float[][] params) {
        float[][] z = new float[params.length][];
        for (int i = 0; i < params.length; i++) {
            z[i] = new float[params[i].length];
        }
        return z;
    }

    /** g += wd * p over {@code [from, to)}: torch's coupled L2. Modifies {@code g}. */
    static void addDecay(float[] p, float[] g, float wd, int from, int to) {
        if (wd != 0f) {
            for (int i = from; i < to; i++) {
                g[i] += wd * p[i];
            }
        }
    }

    /** SGD with momentum and Nesterov (Sutskever et al. 2013, torch's formulation). */
    static final class Sgd extends Optimizer {
        private final float[][] momentumBuffers;

        Sgd(OptimizerSpec spec, float[][] params) {
            super(spec);
            momentumBuffers = spec.momentum() > 0 ? zerosLike(params) : new float[0][];
        }

        @Override
        void update(int t, float[] p, float[] g, float lr, int from, int to) {
            addDecay(p, g, (float) spec.weightDecay(), from, to);
            float mu = (float) spec.momentum();
            if (mu == 0f) {
                for (int i = from; i < to; i++) {
                    p[i] -= lr * g[i];
                }
                return;
            }
            // the first step's buffer is g itself; zero-initialized buffers give exactly that
            float[] buf = momentumBuffers[t];
            if (spec.nesterov()) {
                for (int i = from; i < to; i++) {
                    float v = mu * buf[i] + g[i];
                    buf[i] = v;
                    p[i] -= lr * (g[i] + mu * v);
                }
            } else {
                for (int i = from; i < to; i++) {
                    float v = mu * buf[i] + g[i];
                    buf[i] = v;
                    p[i] -= lr * v;
                }
            }
        }

        @Override
        float[][] state() {
            return momentumBuffers;
        }
    }

    /** Adam (Kingma and Ba 2015) and AdamW (decoupled decay, Loshchilov and Hutter 2019). */
    static final class Adam extends Optimizer {
        private final float[][] m;
        private final float[][] v;
        private final boolean decoupled;
        /** This step's lr / (1 - β₁ᵗ) and √(1 - β₂ᵗ). */
        private float stepSize;
        private float bc2Sqrt;

        Adam(OptimizerSpec spec, float[][] params) {
            super(spec);
            m = zerosLike(params);
            v = zerosLike(params);
            decoupled = OptimizerSpec.ADAMW.equals(spec.type());
        }

        @Override
        void prepare(float lr) {
            double bc1 = 1 - Math.pow(spec.beta1(), steps);
            double bc2 = 1 - Math.pow(spec.beta2(), steps);
            stepSize = (float) (lr / bc1);
            bc2Sqrt = (float) Math.sqrt(bc2);
        }

        @Override
        void update(int t, float[] p, float[] g, float lr, int from, int to) {
            float wd = (float) spec.weightDecay();
            if (decoupled) {
                float shrink = 1f - lr * wd;
                for (int i = from; i < to; i++) {
                    p[i] *= shrink;
                }
            } else {
                addDecay(p, g, wd, from, to);
            }
            float b1 = (float) spec.beta1();
            float b2 = (float) spec.beta2();
            float eps = (float) spec.epsilon();
            float[] mt = m[t];
            float[] vt = v[t];
            for (int i = from; i < to; i++) {
                float gi = g[i];
                mt[i] = b1 * mt[i] + (1 - b1) * gi;
                vt[i] = b2 * vt[i] + (1 - b2) * gi * gi;
                float denom = (float) Math.sqrt(vt[i]) / bc2Sqrt + eps;
                p[i] -= stepSize * mt[i] / denom;
            }
        }

        @Override
        float[][] state() {
            float[][] s = new float[m.length * 2][];
            System.arraycopy(m, 0, s, 0, m.length);
            System.arraycopy(v, 0, s, m.length, v.length);
            return s;
        }
    }

    /** Adagrad (Duchi et al. 2011) with torch's defaults: no lr decay, zero initial accumulator. */
    static final class Adagrad extends Optimizer {
        private final float[][] sums;

        Adagrad(OptimizerSpec spec, float[][] params) {
            super(spec);
            sums = zerosLike(params);
        }

        @Override
        void update(int t, float[] p, float[] g, float lr, int from, int to) {
            addDecay(p, g, (float) spec.weightDecay(), from, to);
            float eps = (float) spec.epsilon();
            float[] s = sums[t];
            for (int i = from; i < to; i++) {
                s[i] += g[i] * g[i];
                p[i] -= lr * g[i] / ((float) Math.sqrt(s[i]) + eps);
            }
        }

        @Override
        float[][] state() {
            return sums;
        }
    }

    /** RMSprop (Hinton, lecture 6e), torch's uncentered form, with optional momentum. */
    static final class RmsProp extends Optimizer {
        private final float[][] squares;
        private final float[][] momentumBuffers;

        RmsProp(OptimizerSpec spec, float[][] params) {
            super(spec);
            squares = zerosLike(params);
            momentumBuffers = spec.momentum() > 0 ? zerosLike(params) : new float[0][];
        }

        @Override
        void update(int t, float[] p, float[] g, float lr, int from, int to) {
            addDecay(p, g, (float) spec.weightDecay(), from, to);
            float alpha = (float) spec.alpha();
            float eps = (float) spec.epsilon();
            float mu = (float) spec.momentum();
            float[] sq = squares[t];
            for (int i = from; i < to; i++) {
                sq[i] = alpha * sq[i] + (1 - alpha) * g[i] * g[i];
                float avg = (float) Math.sqrt(sq[i]) + eps;
                if (mu > 0) {
                    float[] buf = momentumBuffers[t];
                    buf[i] = mu * buf[i] + g[i] / avg;
                    p[i] -= lr * buf[i];
                } else {
                    p[i] -= lr * g[i] / avg;
                }
            }
        }

        @Override
        float[][] state() {
            float[][] s = new float[squares.length + momentumBuffers.length][];
            System.arraycopy(squares, 0, s, 0, squares.length);
            System.arraycopy(momentumBuffers, 0, s, squares.length, momentumBuffers.length);
            return s;
        }
    }
}

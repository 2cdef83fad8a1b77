package io.backprop.core;

import java.util.function.BooleanSupplier;
import org.ejml.data.FMatrixRMaj;

/**
 * Trains a {@link Network} by mini-batch backpropagation, whole batches as matrices.
 *
 * <p>Forward, layer l (shapes with B the batch rows):
 * <pre>
 *   Z_l = A_{l-1} · W_l + b_l        // (B, out) = (B, in) · (in, out)
 *   A_l = f(Z_l)                     // in place
 *   D_l = A_l ⊙ M_l / (1 - p)        // inverted dropout, training only
 * </pre>
 * Backward (micrograd's chain rule, llm.c's matmul_backward):
 * <pre>
 *   dZ_L = loss gradient (softmax / sigmoid folded in where the loss has it)
 *   dW_l = D_{l-1}ᵀ · dZ_l           // (in, out) = (B, in)ᵀ · (B, out)
 *   db_l = Σ_rows dZ_l               // (1, out)
 *   dD_{l-1} = dZ_l · W_lᵀ           // (B, in) = (B, out) · (in, out)ᵀ
 *   dZ_{l-1} = dD_{l-1} ⊙ M/(1-p) ⊙ f'(A_{l-1})
 * </pre>
 * Every buffer is allocated here for the largest batch; a partial batch reshapes them in place
 * (EJML's {@code reshape} keeps an array that is large enough), so no step allocates a matrix.
 *
 * <p>All randomness (split, initialization, shuffles, dropout) comes from one {@link Rng} seeded by the
 * config, in that order; a {@link Checkpoint} saves its state with everything else, so a resumed run
 * ends bit-identical to an uninterrupted one. Not thread-safe: one trainer per worker thread.
 */
public final class Trainer {

    private final ModelSpec model;
    private final TrainingConfig config;
    private final FMatrixRMaj x;
    private final FMatrixRMaj y;
    private final int targetCols;
    private final Network network;
    private final Optimizer optimizer;
    private final Gemm gemm;
    private final Rng rng;
    private final int[] trainRows;
    private final int[] valRows;
    private final int[] order;
    private final Preprocessing preprocessing;
    private final BestTracker tracker;
    private final int stepsPerEpoch;

    private final float[][] params;
    private final float[][] grads;
    private final FMatrixRMaj xb;
    private final FMatrixRMaj yb;
    /** Per layer: activations A_l (B, out). */
    private final FMatrixRMaj[] act;
    /** Per layer: dropout output D_l, or act[l] itself where the layer has no dropout. */
    private final FMatrixRMaj[] dropped;
    /** Per layer: dropout scale per element (0 or 1/(1-p)); null without dropout. */
    private final float[][] masks;
    /** Per layer: dZ_l, then reused as dD_l of the layer below's input. */
    private final FMatrixRMaj[] delta;
    private final FMatrixRMaj[] gradW;
    private final FMatrixRMaj[] gradB;

    /** Cross-entropy of the last forward pass, taken from the logits before softmax overwrote them. */
    private double logitLoss;
    /** The first step's loss: divergence is also a loss this many times larger. */
    private double referenceLoss = Double.NaN;
    static final double DIVERGENCE_FACTOR = 1e4;

    private int epoch;
    /** The epoch whose row order {@code order} holds; the shuffle happens once per epoch, even across a resume. */
    private int orderedEpoch = -1;
    private int stepInEpoch;
    private long globalStep;
    private double epochLossSum;
    private long epochCorrect;
    private long epochPredictions;
    private long epochSamples;

    /**
     * @param x       features (rows, inputs); standardized in place when the config says so
     * @param y       targets: class indices (rows, 1) for cross_entropy, else (rows, outputs)
     * @param initial starting parameters (copied), or null to initialize from the seed
     * @throws IllegalArgumentException when data, model and config do not fit together
     */
    public Trainer(ModelSpec model, OptimizerSpec optimizerSpec, TrainingConfig config, FMatrixRMaj x,
                   FMatrixRMaj y, Network initial) {
        this.model = model;
        this.config = config;
        this.x = x;
        this.y = y;
        this.targetCols = model.loss() == Loss.CROSS_ENTROPY ? 1 : model.outputs();
        validateData(model, x, y, targetCols);
        this.rng = new Rng(config.seed());
        this.gemm = Gemm.create();

        int n = x.numRows;
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        int valCount = config.validationSplit() > 0 ? (int) Math.floor(n * config.validationSplit()) : 0;
        if (config.validationSplit() > 0) {
            valCount = Math.max(1, valCount);
            rng.shuffle(rows, n);
        }
        if (n - valCount < 1) {
            throw new IllegalArgumentException("no training rows left after the validation split");
        }
        this.valRows = java.util.Arrays.copyOfRange(rows, n - valCount, n);
        this.trainRows = java.util.Arrays.copyOfRange(rows, 0, n - valCount);
        java.util.Arrays.sort(trainRows);
        java.util.Arrays.sort(valRows);
        this.order = trainRows.clone();

        this.preprocessing = config.standardize()
                ? Preprocessing.fit(x, trainRows, trainRows.length)
                : Preprocessing.identity(x.numCols);
        if (config.standardize()) {
            preprocessing.applyInPlace(x);
        }

        if (initial != null) {
            if (!initial.spec().layers().equals(model.layers()) || initial.spec().inputs() != model.inputs()) {
                throw new IllegalArgumentException("initial weights do not fit the model");
            }
            this.network = initial.copy();
        } else {
            this.network = Network.initialize(model, rng);
        }
        this.params = network.parameterArrays();
        this.optimizer = Optimizer.create(optimizerSpec, params);

        EarlyStoppingSpec es = config.earlyStopping();
        String fallback = valCount > 0 ? "val_loss" : "loss";
        if (es != null) {
            if (es.monitor().startsWith("val_") && valCount == 0) {
                throw new IllegalArgumentException("early stopping on " + es.monitor() + " needs a validation split");
            }
            if (es.monitor().contains("accuracy") && !model.loss().classification()) {
                throw new IllegalArgumentException("accuracy is not defined for the mse loss");
            }
        }
        this.tracker = new BestTracker(es, fallback, params);
        this.stepsPerEpoch = (trainRows.length + config.batchSize() - 1) / config.batchSize();

        int batch = Math.min(config.batchSize(), Math.max(trainRows.length, valRows.length));
        int layers = model.layers().size();
        this.xb = new FMatrixRMaj(batch, model.inputs());
        this.yb = new FMatrixRMaj(batch, targetCols);
        this.act = new FMatrixRMaj[layers];
        this.dropped = new FMatrixRMaj[layers];
        this.masks = new float[layers][];
        this.delta = new FMatrixRMaj[layers];
        this.gradW = new FMatrixRMaj[layers];
        this.gradB = new FMatrixRMaj[layers];
        this.grads = new float[layers * 2][];
        for (int l = 0; l < layers; l++) {
            LayerSpec spec = model.layers().get(l);
            int out = spec.units();
            act[l] = new FMatrixRMaj(batch, out);
            boolean dropout = spec.dropout() > 0 && l < layers - 1;
            dropped[l] = dropout ? new FMatrixRMaj(batch, out) : act[l];
            masks[l] = dropout ? new float[batch * out] : null;
            delta[l] = new FMatrixRMaj(batch, out);
            gradW[l] = new FMatrixRMaj(model.fanIn(l), out);
            gradB[l] = new FMatrixRMaj(1, out);
            grads[2 * l] = gradW[l].data;
            grads[2 * l + 1] = gradB[l].data;
        }
    }

    /**
     * A trainer positioned at a checkpoint of a run with the same model, optimizer, config and data.
     * {@code x} must be the raw features again: standardization is recomputed, as the split is.
     */
    public static Trainer resume(ModelSpec model, OptimizerSpec optimizerSpec, TrainingConfig config,
                                 FMatrixRMaj x, FMatrixRMaj y, Checkpoint checkpoint) {
        Trainer trainer = new Trainer(model, optimizerSpec, config, x, y, null);
        trainer.restore(checkpoint);
        return trainer;
    }

    private static void validateData(ModelSpec model, FMatrixRMaj x, FMatrixRMaj y, int targetCols) {
        if (x.numCols != model.inputs()) {
            throw new IllegalArgumentException("model expects " + model.inputs() + " inputs, data has " + x.numCols);
        }
        if (y.numRows != x.numRows || y.numCols != targetCols) {
            throw new IllegalArgumentException("targets must be (" + x.numRows + ", " + targetCols + ")");
        }
        if (x.numRows < 1) {
            throw new IllegalArgumentException("no rows to train on");
        }
        if (model.loss() == Loss.CROSS_ENTROPY) {
            for (int i = 0; i < y.numRows; i++) {
                float c = y.data[i];
                if (c != Math.rint(c) || c < 0 || c >= model.outputs()) {
                    throw new IllegalArgumentException("class index " + c + " at row " + i
                            + " is outside [0, " + model.outputs() + ")");
                }
            }
        }
    }

    public Network network() {
        return network;
    }

    public Preprocessing preprocessing() {
        return preprocessing;
    }

    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /** The metric that picks the best epoch: early stopping's, else val_loss with a split, else loss. */
    public String monitor() {
        return tracker.monitor;
    }

    public int validationRows() {
        return valRows.length;
    }

    /** 0-based epoch the next step belongs to. */
    public int epoch() {
        return epoch;
    }

    public long globalStep() {
        return globalStep;
    }

    /** Trains until the epochs are done, early stopping, divergence or cancellation. */
    public TrainingResult train(TrainingListener listener, BooleanSupplier cancelRequested) {
        int epochs = config.epochs();
        while (epoch < epochs) {
            long started = System.nanoTime();
            if (orderedEpoch != epoch) {
                orderedEpoch = epoch;
                System.arraycopy(trainRows, 0, order, 0, trainRows.length);
                if (config.shuffle()) {
                    rng.shuffle(order, order.length);
                }
                epochLossSum = 0;
                epochCorrect = 0;
                epochPredictions = 0;
                epochSamples = 0;
            }
            double lr = learningRate();
            while (stepInEpoch < stepsPerEpoch) {
                if (cancelRequested.getAsBoolean()) {
                    return result(TrainingResult.StopReason.CANCELLED, "cancelled at epoch " + (epoch + 1)
                            + ", step " + (stepInEpoch + 1));
                }
                int start = stepInEpoch * config.batchSize();
                int rows = Math.min(config.batchSize(), order.length - start);
                gather(order, start, rows);
                lr = learningRate();
                double loss = forwardBackward(rows, true);
                int outCols = model.outputs();
                epochCorrect += model.loss().correct(act[act.length - 1].data, yb.data, rows, outCols);
                epochPredictions += model.loss().predictions(rows, outCols);
                clipGradients();
                optimizer.step(params, grads, lr);
                stepInEpoch++;
                globalStep++;
                epochLossSum += loss * rows;
                epochSamples += rows;
                if (!Double.isFinite(loss)) {
                    return result(TrainingResult.StopReason.DIVERGED, "loss became " + loss + " at epoch "
                            + (epoch + 1) + ", step " + stepInEpoch + " (learning rate " + lr + ")");
                }
                if (Double.isNaN(referenceLoss)) {
                    referenceLoss = loss;
                } else if (loss > DIVERGENCE_FACTOR * Math.max(referenceLoss, 1e-3)) {
                    return result(TrainingResult.StopReason.DIVERGED, "loss exploded to " + loss + " at epoch "
                            + (epoch + 1) + ", step " + stepInEpoch + ", more than " + DIVERGENCE_FACTOR
                            + " times the first step's " + referenceLoss + " (learning rate " + lr + ")");
                }
                listener.onStep(new StepEvent(epoch + 1, stepInEpoch, stepsPerEpoch, globalStep, loss, lr, rows));
            }
            if (!network.finite()) {
                return result(TrainingResult.StopReason.DIVERGED, "weights became non-finite in epoch " + (epoch + 1));
            }
            double trainLoss = epochLossSum / epochSamples;
            double trainAcc = model.loss().classification() ? (double) epochCorrect / epochPredictions : Double.NaN;
            double[] val = valRows.length > 0 ? evaluate(valRows) : new double[] {Double.NaN, Double.NaN};
            epoch++;
            stepInEpoch = 0;
            boolean stop = tracker.update(epoch, tracker.pick(trainLoss, val[0], trainAcc, val[1]), params);
            listener.onEpoch(new EpochEvent(epoch, epochs, trainLoss, val[0], trainAcc, val[1], lr,
                    System.nanoTime() - started, (int) epochSamples, tracker.bestEpoch, tracker.bestValue));
            if (!Double.isFinite(val[0]) && valRows.length > 0) {
                return result(TrainingResult.StopReason.DIVERGED, "validation loss became " + val[0]
                        + " at epoch " + epoch);
            }
            if (stop) {
                tracker.restoreInto(params);
                return result(TrainingResult.StopReason.EARLY_STOPPED, "no improvement of " + tracker.monitor
                        + " for " + tracker.wait + " epochs; best epoch " + tracker.bestEpoch);
            }
        }
        tracker.restoreInto(params);
        return result(TrainingResult.StopReason.COMPLETED, "completed " + epochs + " epochs");
    }

    private TrainingResult result(TrainingResult.StopReason reason, String message) {
        return new TrainingResult(reason, message, epoch, globalStep, tracker.monitor, tracker.bestEpoch,
                tracker.bestValue);
    }

    private double learningRate() {
        return config.schedule().learningRate(optimizer.spec.learningRate(), epoch, globalStep, config.epochs());
    }

    /** Copies rows {@code order[start, start + rows)} into the batch buffers. Modifies xb and yb. */
    private void gather(int[] rowOrder, int start, int rows) {
        int in = x.numCols;
        xb.reshape(rows, in);
        yb.reshape(rows, targetCols);
        for (int i = 0; i < rows; i++) {
            int r = rowOrder[start + i];
            System.arraycopy(x.data, r * in, xb.data, i * in, in);
            System.arraycopy(y.data, r * targetCols, yb.data, i * targetCols, targetCols);
        }
    }

    /** Forward pass over the first {@code rows} rows of xb. Modifies act, dropped and masks. */
    private void forward(int rows, boolean training) {
        FMatrixRMaj input = xb;
        for (int l = 0; l < act.length; l++) {
            LayerSpec spec = model.layers().get(l);
            int out = spec.units();
            FMatrixRMaj a = act[l];
            a.reshape(rows, out);
            gemm.mult(input, network.weight(l), a);                       // (B, in) · (in, out)
            Network.addBias(a.data, network.biasMatrix(l).data, rows, out);
            if (l == act.length - 1 && model.loss() == Loss.CROSS_ENTROPY) {
                logitLoss = Loss.crossEntropyOfLogits(a.data, yb.data, rows, out);
            }
            spec.activation().forward(a.data, rows, out, (float) spec.parameter());
            input = a;
            if (masks[l] != null) {
                FMatrixRMaj d = dropped[l];
                d.reshape(rows, out);
                int n = rows * out;
                float[] mask = masks[l];
                if (training) {
                    float keep = (float) (1.0 / (1.0 - spec.dropout()));
                    for (int i = 0; i < n; i++) {
                        mask[i] = rng.nextDouble() < spec.dropout() ? 0f : keep;
                        d.data[i] = a.data[i] * mask[i];
                    }
                } else {
                    System.arraycopy(a.data, 0, d.data, 0, n);
                }
                input = d;
            }
        }
    }

    /**
     * Forward and backward over the batch in xb/yb. Modifies every buffer and the gradients.
     *
     * @return the batch loss before any update
     */
    private double forwardBackward(int rows, boolean training) {
        forward(rows, training);
        int last = act.length - 1;
        int outCols = model.outputs();
        float[] output = act[last].data;
        double loss = batchLoss(output, rows, outCols);

        FMatrixRMaj dz = delta[last];
        dz.reshape(rows, outCols);
        model.loss().gradient(output, yb.data, dz.data, rows, outCols);
        LayerSpec outSpec = model.layers().get(last);
        if (!model.loss().foldsOutputActivation()) {
            outSpec.activation().backward(output, dz.data, rows * outCols, (float) outSpec.parameter());
        }
        for (int l = last; l >= 0; l--) {
            FMatrixRMaj input = l == 0 ? xb : dropped[l - 1];
            gemm.multTransA(input, delta[l], gradW[l]);                   // (B, in)ᵀ · (B, out)
            columnSums(delta[l].data, rows, delta[l].numCols, gradB[l].data);
            if (l > 0) {
                FMatrixRMaj below = delta[l - 1];
                LayerSpec spec = model.layers().get(l - 1);
                below.reshape(rows, spec.units());
                gemm.multTransB(delta[l], network.weight(l), below);     // (B, out) · (in, out)ᵀ
                int n = rows * spec.units();
                float[] mask = masks[l - 1];
                if (mask != null) {
                    for (int i = 0; i < n; i++) {
                        below.data[i] *= mask[i];
                    }
                }
                spec.activation().backward(act[l - 1].data, below.data, n, (float) spec.parameter());
            }
        }
        return loss;
    }

    private double batchLoss(float[] output, int rows, int cols) {
        return model.loss() == Loss.CROSS_ENTROPY ? logitLoss : model.loss().value(output, yb.data, rows, cols);
    }

    /** sums[j] = Σ_r m[r][j]. Modifies {@code sums}. */
    private static void columnSums(float[] m, int rows, int cols, float[] sums) {
        java.util.Arrays.fill(sums, 0, cols, 0f);
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            for (int j = 0; j < cols; j++) {
                sums[j] += m[off + j];
            }
        }
    }

    /** {@code torch.nn.utils.clip_grad_norm_}: scale by max_norm / (total_norm + 1e-6) when below 1. */
    private void clipGradients() {
        if (config.clipNorm() == null) {
            return;
        }
        double sq = 0;
        for (float[] g : grads) {
            for (float v : g) {
                sq += (double) v * v;
            }
        }
        double coef = config.clipNorm() / (Math.sqrt(sq) + 1e-6);
        if (coef < 1) {
            float c = (float) coef;
            for (float[] g : grads) {
                for (int i = 0; i < g.length; i++) {
                    g[i] *= c;
                }
            }
        }
    }

    /** Loss and accuracy over {@code rows} of the data, without dropout. Overwrites the batch buffers. */
    private double[] evaluate(int[] rows) {
        double lossSum = 0;
        long correct = 0;
        long predictions = 0;
        int batch = xb.data.length / x.numCols;
        int outCols = model.outputs();
        for (int start = 0; start < rows.length; start += batch) {
            int n = Math.min(batch, rows.length - start);
            gather(rows, start, n);
            forward(n, false);
            float[] output = act[act.length - 1].data;
            lossSum += batchLoss(output, n, outCols) * n;
            correct += model.loss().correct(output, yb.data, n, outCols);
            predictions += model.loss().predictions(n, outCols);
        }
        double accuracy = model.loss().classification() ? (double) correct / predictions : Double.NaN;
        return new double[] {lossSum / rows.length, accuracy};
    }

    /** The complete state now; valid between steps, e.g. from a listener. */
    public Checkpoint checkpoint() {
        return new Checkpoint(epoch, orderedEpoch, stepInEpoch, globalStep, rng.state(), order.clone(), epochLossSum,
                epochCorrect, epochPredictions, epochSamples, optimizer.steps, deepCopy(optimizer.state()),
                deepCopy(params), preprocessing.mean().clone(), preprocessing.std().clone(),
                tracker.bestValue, tracker.bestEpoch, tracker.wait, deepCopy(tracker.bestParams), referenceLoss);
    }

    private void restore(Checkpoint c) {
        if (c.order().length != order.length) {
            throw new IllegalArgumentException("checkpoint was taken on other data");
        }
        epoch = c.epoch();
        orderedEpoch = c.orderedEpoch();
        stepInEpoch = c.stepInEpoch();
        globalStep = c.globalStep();
        rng.restore(c.rngState());
        System.arraycopy(c.order(), 0, order, 0, order.length);
        epochLossSum = c.epochLossSum();
        epochCorrect = c.epochCorrect();
        epochPredictions = c.epochPredictions();
        epochSamples = c.epochSamples();
        optimizer.steps = c.optimizerSteps();
        Checkpoint.copyInto(c.optimizerState(), optimizer.state(), "optimizer state");
        Checkpoint.copyInto(c.params(), params, "parameters");
        tracker.bestValue = c.bestValue();
        tracker.bestEpoch = c.bestEpoch();
        tracker.wait = c.epochsWithoutImprovement();
        Checkpoint.copyInto(c.bestParams(), tracker.bestParams, "best parameters");
        referenceLoss = c.referenceLoss();
    }

    private static float[][] deepCopy(float[][] arrays) {
        float[][] copy = new float[arrays.length][];
        for (int i = 0; i < arrays.length; i++) {
            copy[i] = arrays[i].clone();
        }
        return copy;
    }

    // Test hooks: one batch's forward and backward without an update, for reference comparisons.

    /** Loss of one batch; leaves outputs and (clipped) gradients in the buffers. */
    double gradientsFor(FMatrixRMaj batchX, FMatrixRMaj batchY) {
        int rows = batchX.numRows;
        xb.reshape(rows, batchX.numCols);
        yb.reshape(rows, targetCols);
        System.arraycopy(batchX.data, 0, xb.data, 0, rows * batchX.numCols);
        System.arraycopy(batchY.data, 0, yb.data, 0, rows * targetCols);
        double loss = forwardBackward(rows, false);
        clipGradients();
        return loss;
    }

    float[] outputBuffer() {
        return act[act.length - 1].data;
    }

    float[][] gradientArrays() {
        return grads;
    }

    float[][] parameterArrays() {
        return params;
    }
}

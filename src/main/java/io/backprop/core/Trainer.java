package io.backprop.core;

import java.util.function.BooleanSupplier;
import org.ejml.data.FMatrixRMaj;

/**
 * Trains a {@link Network} by mini-batch backpropagation, whole batches as matrices: each layer's
 * forward and backward pass is a {@link DenseLayer}; this class runs the epochs, the loss at the top
 * and the updates. All randomness (split, initialization, shuffles, dropout) comes from one {@link Rng}
 * seeded by the config, in that order; a {@link Checkpoint} saves its state with everything else, so a
 * resumed run ends bit-identical to an uninterrupted one. Not thread-safe: one trainer per worker thread.
 */
public final class Trainer {

    private final ModelSpec model;
    private final TrainingConfig config;
    private final FMatrixRMaj x;
    private final FMatrixRMaj y;
    private final Network network;
    private final Optimizer optimizer;
    private final Gemm gemm;
    private final Rng rng;
    private final DataSplit split;
    private final int[] order;
    private final Preprocessing preprocessing;
    private final BestTracker tracker;
    private final int stepsPerEpoch;
    /** The parameters as they train: the network's arrays, but the first layer's in {@link #layout}. */
    private final float[][] params;
    /** Each layer's weights as the products read them (params' arrays). */
    private final FMatrixRMaj[] weights;
    private final TrainingLayout layout;
    private final float[][] grads;
    private final Workspace work;
    private final EpochStats stats = new EpochStats();
    private final DivergenceGuard divergence = new DivergenceGuard();
    private final SplitChooser splitChooser = new SplitChooser();

    /** Cross-entropy of the last forward pass, taken from the logits before softmax overwrote them. */
    private double logitLoss;
    private int epoch;
    /** The epoch whose row order {@code order} holds; the shuffle happens once per epoch, even across a resume. */
    private int orderedEpoch = -1;
    private int stepInEpoch;
    private long globalStep;

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
        Workspace.validate(model, x, y);
        this.rng = new Rng(config.seed());
        this.gemm = Gemm.create();
        this.split = DataSplit.of(x.numRows, config, rng);
        this.order = split.trainRows().clone();
        this.preprocessing = Preprocessing.of(x, split.trainRows(), config.standardize());
        this.network = initial != null ? initial.copyFor(model) : Network.initialize(model, rng);
        this.layout = TrainingLayout.of(model);
        this.params = layout.parameters(network);
        this.weights = layout.weights(network, params);
        this.optimizer = Optimizer.create(optimizerSpec, params);
        int valCount = split.valRows().length;
        this.tracker = BestTracker.forRun(config.earlyStopping(), valCount, model.loss().classification(), params);
        int trainCount = split.trainRows().length;
        this.stepsPerEpoch = (trainCount + config.batchSize() - 1) / config.batchSize();
        this.work = new Workspace(model, Math.min(config.batchSize(), Math.max(trainCount, valCount)), true);
        this.grads = work.gradientArrays();
        layout.alignOptimizer(optimizer, config.batchSize());
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

    /** The network as trained so far (its first layer's weights brought up to date from the training layout). */
    public Network network() {
        layout.intoNetwork(params, network);
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
        return split.valRows().length;
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
        CorePool.trainerStarted();
        CorePool.Borrower borrower = CorePool.borrower();
        try {
            return trainEpochs(listener, cancelRequested, borrower);
        } finally {
            borrower.solo = false;
            CorePool.trainerEnded();
        }
    }

    private TrainingResult trainEpochs(TrainingListener listener, BooleanSupplier cancelRequested,
                                       CorePool.Borrower borrower) {
        int epochs = config.epochs();
        int outCols = model.outputs();
        while (epoch < epochs) {
            long started = System.nanoTime();
            if (orderedEpoch != epoch) {
                orderedEpoch = epoch;
                System.arraycopy(split.trainRows(), 0, order, 0, order.length);
                if (config.shuffle()) {
                    rng.shuffle(order, order.length);
                }
                stats.reset();
            }
            double lr = learningRate();
            while (stepInEpoch < stepsPerEpoch) {
                if (cancelRequested.getAsBoolean()) {
                    return result(TrainingResult.StopReason.CANCELLED, "cancelled at epoch " + (epoch + 1)
                            + ", step " + (stepInEpoch + 1));
                }
                splitChooser.beforeStep(borrower);
                int start = stepInEpoch * config.batchSize();
                int rows = Math.min(config.batchSize(), order.length - start);
                work.gather(x, y, order, start, rows);
                lr = learningRate();
                double loss = forwardBackward(rows, true);
                float[] output = work.output().data;
                stats.add(loss, rows, model.loss().correct(output, work.yb.data, rows, outCols),
                        model.loss().predictions(rows, outCols));
                Gradients.clip(grads, config.clipNorm());
                optimizer.step(params, grads, lr);
                splitChooser.afterStep(borrower);
                stepInEpoch++;
                globalStep++;
                String diverged = divergence.check(loss, epoch + 1, stepInEpoch, lr);
                if (diverged != null) {
                    return result(TrainingResult.StopReason.DIVERGED, diverged);
                }
                listener.onStep(new StepEvent(epoch + 1, stepInEpoch, stepsPerEpoch, globalStep, loss, lr, rows));
            }
            if (!Network.finite(params)) {
                return result(TrainingResult.StopReason.DIVERGED, "weights became non-finite in epoch " + (epoch + 1));
            }
            double trainLoss = stats.meanLoss();
            double trainAcc = stats.accuracy(model.loss().classification());
            double[] val = split.valRows().length > 0 ? evaluate(split.valRows()) : new double[] {Double.NaN, Double.NaN};
            epoch++;
            stepInEpoch = 0;
            boolean stop = tracker.update(epoch, tracker.pick(trainLoss, val[0], trainAcc, val[1]), params);
            listener.onEpoch(new EpochEvent(epoch, epochs, trainLoss, val[0], trainAcc, val[1], lr,
                    System.nanoTime() - started, (int) stats.samples, tracker.bestEpoch, tracker.bestValue));
            if (!Double.isFinite(val[0]) && split.valRows().length > 0) {
                return result(TrainingResult.StopReason.DIVERGED, "validation loss became " + val[0] + " at epoch " + epoch);
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

    /** Forward over the batch in the workspace; dropout only when training. */
    private void forward(int rows, boolean training) {
        FMatrixRMaj input = work.xb;
        DenseLayer[] layers = work.layers;
        for (int l = 0; l < layers.length; l++) {
            FMatrixRMaj z = layers[l].linear(gemm, input, weights[l], network.biasMatrix(l), rows);
            if (l == layers.length - 1 && model.loss() == Loss.CROSS_ENTROPY) {
                logitLoss = Loss.crossEntropyOfLogits(z.data, work.yb.data, rows, z.numCols);
            }
            input = layers[l].activate(rows, training ? rng : null);
        }
    }

    /**
     * Forward and backward over the batch in the workspace. Modifies every buffer and the gradients.
     *
     * @return the batch loss before any update
     */
    private double forwardBackward(int rows, boolean training) {
        forward(rows, training);
        DenseLayer[] layers = work.layers;
        int last = layers.length - 1;
        int outCols = model.outputs();
        float[] output = layers[last].act.data;
        double loss = batchLoss(output, rows, outCols);
        FMatrixRMaj dz = layers[last].delta;
        dz.reshape(rows, outCols);
        model.loss().gradient(output, work.yb.data, dz.data, rows, outCols);   // dL/dZ with softmax/sigmoid folded in
        LayerSpec outSpec = model.layers().get(last);
        if (!model.loss().foldsOutputActivation()) {
            outSpec.activation().backward(output, dz.data, rows * outCols, (float) outSpec.parameter());
        }
        for (int l = last; l >= 0; l--) {
            FMatrixRMaj input = l == 0 ? work.xb : layers[l - 1].output;
            layers[l].backward(gemm, input, weights[l], rows, l > 0 ? layers[l - 1] : null);
        }
        return loss;
    }

    private double batchLoss(float[] output, int rows, int cols) {
        return model.loss() == Loss.CROSS_ENTROPY ? logitLoss : model.loss().value(output, work.yb.data, rows, cols);
    }

    /** Loss and accuracy over {@code rows} of the data, without dropout. Overwrites the batch buffers. */
    private double[] evaluate(int[] rows) {
        EpochStats eval = new EpochStats();
        int batch = work.xb.data.length / x.numCols;
        int outCols = model.outputs();
        for (int start = 0; start < rows.length; start += batch) {
            int n = Math.min(batch, rows.length - start);
            work.gather(x, y, rows, start, n);
            forward(n, false);
            float[] output = work.output().data;
            eval.add(batchLoss(output, n, outCols), n, model.loss().correct(output, work.yb.data, n, outCols),
                    model.loss().predictions(n, outCols));
        }
        return new double[] {eval.meanLoss(), eval.accuracy(model.loss().classification())};
    }

    /** The complete state now, in the network's layout; valid between steps, e.g. from a listener. */
    public Checkpoint checkpoint() {
        return new Checkpoint(epoch, orderedEpoch, stepInEpoch, globalStep, rng.state(), order.clone(), stats.lossSum,
                stats.correct, stats.predictions, stats.samples, optimizer.steps, outOfLayout(optimizer.state()),
                outOfLayout(params), preprocessing.mean().clone(), preprocessing.std().clone(),
                tracker.bestValue, tracker.bestEpoch, tracker.wait, outOfLayout(tracker.bestParams),
                divergence.referenceLoss);
    }

    /** A copy of a set of per-parameter arrays, row-major. */
    private float[][] outOfLayout(float[][] arrays) {
        float[][] copy = Checkpoint.deepCopy(arrays);
        layout.toNetwork(copy, params.length);
        return copy;
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
        stats.restore(c.epochLossSum(), c.epochCorrect(), c.epochPredictions(), c.epochSamples());
        optimizer.restore(c.optimizerSteps(), c.optimizerState());
        layout.toTraining(optimizer.state(), params.length);
        Checkpoint.copyInto(c.params(), params, "parameters");
        layout.toTraining(params, params.length);
        tracker.restore(c.bestValue(), c.bestEpoch(), c.epochsWithoutImprovement(), c.bestParams());
        layout.toTraining(tracker.bestParams, params.length);
        divergence.referenceLoss = c.referenceLoss();
    }

    // Test hooks: one batch's forward and backward without an update, for reference comparisons.

    /** Loss of one batch; leaves outputs and (clipped) gradients in the buffers. */
    double gradientsFor(FMatrixRMaj batchX, FMatrixRMaj batchY) {
        int rows = batchX.numRows;
        work.load(batchX, batchY);
        double loss = forwardBackward(rows, false);
        Gradients.clip(grads, config.clipNorm());
        return loss;
    }

    float[] outputBuffer() {
        return work.output().data;
    }

    /** The gradients row-major: the live arrays, or copies where the training layout differs. */
    float[][] gradientArrays() {
        return layout.panelled(0) ? outOfLayout(grads) : grads;
    }

    /** The parameters row-major: the live arrays, or copies where the training layout differs. */
    float[][] parameterArrays() {
        return layout.panelled(0) ? outOfLayout(params) : params;
    }
}

package io.backprop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Determinism, checkpoint and resume, early stopping, divergence and cancellation. */
class TrainingLifecycleTest {

    private static final ModelSpec DIGITS_MODEL = new ModelSpec(64,
            List.of(new LayerSpec(64, Activation.RELU, 0, 0.2), LayerSpec.of(10, Activation.SOFTMAX)),
            Loss.CROSS_ENTROPY, null);
    private static final OptimizerSpec ADAM = OptimizerSpec.defaults("adam", 2e-3);

    private static TrainingConfig config(int epochs) {
        return new TrainingConfig(epochs, 50, true, 11, 0.2, true, 1.0,
                new ScheduleSpec("cosine", 1, 1.0, 1e-4, 0, 20), null);
    }

    private static Trainer digitsTrainer(TrainingConfig config) {
        TestData data = TestData.load("digits.csv", true);
        return new Trainer(DIGITS_MODEL, ADAM, config, data.x(), data.y(), null);
    }

    @Test
    void sameSeedGivesBitIdenticalWeights() {
        Trainer a = digitsTrainer(config(3));
        Trainer b = digitsTrainer(config(3));
        a.train(TrainingListener.NONE, () -> false);
        b.train(TrainingListener.NONE, () -> false);
        assertThat(a.parameterArrays()).isDeepEqualTo(b.parameterArrays());
    }

    @Test
    void theNetworkAndCheckpointsOfARunWhoseFirstLayerTrainsInPanelsAreRowMajor() {
        // 64 units: two panels, so the training layout differs from the network's
        assertThat(TrainingLayout.of(DIGITS_MODEL).panelled(0)).isTrue();
        Trainer trainer = digitsTrainer(config(2));
        trainer.train(TrainingListener.NONE, () -> false);
        TestData data = TestData.load("digits.csv", true);
        FMatrixRMaj batchX = new FMatrixRMaj(50, 64);
        System.arraycopy(data.x().data, 0, batchX.data, 0, batchX.data.length);
        FMatrixRMaj batchY = new FMatrixRMaj(50, 1);
        System.arraycopy(data.y().data, 0, batchY.data, 0, 50);

        trainer.gradientsFor(batchX, batchY);
        float[] trained = trainer.outputBuffer();
        FMatrixRMaj predicted = trainer.network().predict(batchX);

        // the same sums in the same order, read from the panels by the trainer and row-major by the network
        assertThat(java.util.Arrays.copyOf(trained, predicted.data.length)).isEqualTo(predicted.data);
        assertThat(trainer.checkpoint().params()).isDeepEqualTo(trainer.network().parameterArrays());
    }

    @Test
    void differentSeedsGiveDifferentWeights() {
        Trainer a = digitsTrainer(config(1));
        TrainingConfig other = new TrainingConfig(1, 50, true, 12, 0.2, true, 1.0, null, null);
        Trainer b = digitsTrainer(other);
        a.train(TrainingListener.NONE, () -> false);
        b.train(TrainingListener.NONE, () -> false);
        assertThat(java.util.Arrays.deepEquals(a.parameterArrays(), b.parameterArrays())).isFalse();
    }

    @ParameterizedTest(name = "after epoch {0}")
    @ValueSource(ints = {1, 2, 4})
    void resumingFromAnEpochCheckpointEndsBitIdentical(int k) {
        Trainer uninterrupted = digitsTrainer(config(5));
        Map<Integer, byte[]> checkpoints = new HashMap<>();
        uninterrupted.train(new TrainingListener() {
            @Override
            public void onEpoch(EpochEvent event) {
                checkpoints.put(event.epoch(), uninterrupted.checkpoint().encode());
            }
        }, () -> false);

        TestData data = TestData.load("digits.csv", true);
        Trainer resumed = Trainer.resume(DIGITS_MODEL, ADAM, config(5), data.x(), data.y(),
                Checkpoint.decode(checkpoints.get(k)));
        assertThat(resumed.epoch()).isEqualTo(k);
        resumed.train(TrainingListener.NONE, () -> false);

        assertThat(resumed.parameterArrays()).isDeepEqualTo(uninterrupted.parameterArrays());
    }

    @Test
    void resumingFromAMidEpochCheckpointEndsBitIdentical() {
        Trainer uninterrupted = digitsTrainer(config(3));
        List<byte[]> midEpoch = new ArrayList<>();
        List<Double> lossesAfter = new ArrayList<>();
        uninterrupted.train(new TrainingListener() {
            @Override
            public void onStep(StepEvent event) {
                if (event.epoch() == 2 && event.step() == 7) {
                    midEpoch.add(uninterrupted.checkpoint().encode());
                }
                if (!midEpoch.isEmpty()) {
                    lossesAfter.add(event.loss());
                }
            }
        }, () -> false);

        TestData data = TestData.load("digits.csv", true);
        Trainer resumed = Trainer.resume(DIGITS_MODEL, ADAM, config(3), data.x(), data.y(),
                Checkpoint.decode(midEpoch.get(0)));
        List<Double> resumedLosses = new ArrayList<>();
        resumed.train(new TrainingListener() {
            @Override
            public void onStep(StepEvent event) {
                resumedLosses.add(event.loss());
            }
        }, () -> false);

        assertThat(resumed.parameterArrays()).isDeepEqualTo(uninterrupted.parameterArrays());
        assertThat(resumedLosses).isEqualTo(lossesAfter.subList(1, lossesAfter.size()));
    }

    @Test
    void resumingAfterACancelAtTheStartOfAnEpochEndsBitIdentical() {
        Trainer uninterrupted = digitsTrainer(config(3));
        uninterrupted.train(TrainingListener.NONE, () -> false);

        Trainer stopped = digitsTrainer(config(3));
        AtomicInteger epochsDone = new AtomicInteger();
        // stop right after epoch 2's shuffle, before its first step: where a shutdown can land
        TrainingResult result = stopped.train(new TrainingListener() {
            @Override
            public void onEpoch(EpochEvent event) {
                epochsDone.set(event.epoch());
            }
        }, () -> epochsDone.get() == 1);
        assertThat(result.reason()).isEqualTo(TrainingResult.StopReason.CANCELLED);
        TestData data = TestData.load("digits.csv", true);
        Trainer resumed = Trainer.resume(DIGITS_MODEL, ADAM, config(3), data.x(), data.y(),
                Checkpoint.decode(stopped.checkpoint().encode()));
        resumed.train(TrainingListener.NONE, () -> false);

        assertThat(resumed.parameterArrays()).isDeepEqualTo(uninterrupted.parameterArrays());
    }

    @Test
    void earlyStoppingInMaxModeRestoresTheEpochWithHighestAccuracy() {
        EarlyStoppingSpec es = new EarlyStoppingSpec("val_accuracy", "max", 3, 0.0, true);
        // a high learning rate makes validation accuracy peak early and then wander
        TrainingConfig config = new TrainingConfig(200, 16, true, 5, 0.3, true, null, null, es);
        TestData data = TestData.load("iris.csv", true);
        ModelSpec model = new ModelSpec(4, List.of(LayerSpec.of(8, Activation.RELU), LayerSpec.of(3, Activation.SOFTMAX)),
                Loss.CROSS_ENTROPY, null);
        Trainer trainer = new Trainer(model, OptimizerSpec.defaults("sgd", 0.5).withMomentum(0.9, false), config,
                data.x(), data.y(), null);
        List<Double> valAccuracy = new ArrayList<>();
        List<float[][]> weightsByEpoch = new ArrayList<>();
        TrainingResult result = trainer.train(new TrainingListener() {
            @Override
            public void onEpoch(EpochEvent event) {
                valAccuracy.add(event.valAccuracy());
                weightsByEpoch.add(trainer.checkpoint().params());
            }
        }, () -> false);

        assertThat(result.reason()).isEqualTo(TrainingResult.StopReason.EARLY_STOPPED);
        int expectedBest = 0;
        for (int i = 1; i < valAccuracy.size(); i++) {
            if (valAccuracy.get(i) > valAccuracy.get(expectedBest)) {
                expectedBest = i;
            }
        }
        assertThat(result.bestEpoch()).isEqualTo(expectedBest + 1);
        assertThat(result.bestValue()).isEqualTo(valAccuracy.get(expectedBest));
        assertThat(valAccuracy).hasSize(expectedBest + 1 + 3);
        assertThat(trainer.parameterArrays()).isDeepEqualTo(weightsByEpoch.get(expectedBest));
    }

    @Test
    void bestTrackerInMaxModeKeepsTheHighestValueNotTheLowest() {
        BestTracker tracker = new BestTracker(new EarlyStoppingSpec("accuracy", "max", 2, 0.0, false), "loss",
                new float[0][]);
        double[] values = {0.5, 0.8, 0.7, 0.9, 0.85, 0.6};
        boolean stopped = false;
        int epoch = 0;
        while (!stopped && epoch < values.length) {
            stopped = tracker.update(epoch + 1, values[epoch], new float[0][]);
            epoch++;
        }
        assertThat(stopped).isTrue();
        assertThat(epoch).isEqualTo(6);
        assertThat(tracker.bestEpoch).isEqualTo(4);
        assertThat(tracker.bestValue).isEqualTo(0.9);
    }

    @Test
    void absurdLearningRateStopsWithADivergenceReason() {
        TestData data = TestData.load("iris.csv", true);
        ModelSpec model = new ModelSpec(4, List.of(LayerSpec.of(8, Activation.RELU), LayerSpec.of(3, Activation.SOFTMAX)),
                Loss.CROSS_ENTROPY, null);
        Trainer trainer = new Trainer(model, OptimizerSpec.defaults("sgd", 1e6), TrainingConfig.simple(50, 16, 1),
                data.x(), data.y(), null);

        TrainingResult result = trainer.train(TrainingListener.NONE, () -> false);

        assertThat(result.reason()).isEqualTo(TrainingResult.StopReason.DIVERGED);
        assertThat(result.message()).containsAnyOf("NaN", "Infinity", "non-finite", "exploded");
    }

    @Test
    void regressionWithAbsurdLearningRateDivergesOnTheLoss() {
        TestData data = TestData.load("diabetes.csv", false);
        ModelSpec model = new ModelSpec(10, List.of(LayerSpec.of(8, Activation.RELU), LayerSpec.of(1, Activation.LINEAR)),
                Loss.MSE, null);
        Trainer trainer = new Trainer(model, OptimizerSpec.defaults("sgd", 1e6), TrainingConfig.simple(50, 16, 1),
                data.x(), data.y(), null);

        TrainingResult result = trainer.train(TrainingListener.NONE, () -> false);

        assertThat(result.reason()).isEqualTo(TrainingResult.StopReason.DIVERGED);
        assertThat(result.message()).startsWith("loss ");
    }

    @Test
    void cancellationStopsBeforeTheNextBatch() {
        Trainer trainer = digitsTrainer(config(5));
        AtomicInteger steps = new AtomicInteger();
        TrainingResult result = trainer.train(new TrainingListener() {
            @Override
            public void onStep(StepEvent event) {
                steps.incrementAndGet();
            }
        }, () -> steps.get() >= 3);

        assertThat(result.reason()).isEqualTo(TrainingResult.StopReason.CANCELLED);
        assertThat(steps.get()).isEqualTo(3);
        assertThat(result.steps()).isEqualTo(3);
    }
}

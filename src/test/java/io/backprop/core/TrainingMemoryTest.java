package io.backprop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The memory estimate against what training really holds: heap measured after full collections while
 * loading (the table and the trainer's copy) and at a checkpoint (trainer, encoded checkpoint in flight).
 */
class TrainingMemoryTest {

    @Test
    void aDataHeavyRunUsesWhatTheEstimateSaysWithin25Percent() {
        ModelSpec model = new ModelSpec(64, List.of(new LayerSpec(32, Activation.RELU, 0, 0),
                new LayerSpec(4, Activation.SOFTMAX, 0, 0)), Loss.CROSS_ENTROPY, null);
        OptimizerSpec sgd = OptimizerSpec.defaults("sgd", 0.01).withMomentum(0.9, false);
        TrainingConfig config = TrainingConfig.simple(1, 64, 3);
        assertWithin25Percent(model, sgd, config, 200_000);
    }

    @Test
    void aModelHeavyRunWithAdamAndBestWeightsUsesWhatTheEstimateSaysWithin25Percent() {
        ModelSpec model = new ModelSpec(256, List.of(new LayerSpec(2048, Activation.RELU, 0, 0.2),
                new LayerSpec(2048, Activation.RELU, 0, 0), new LayerSpec(10, Activation.SOFTMAX, 0, 0)),
                Loss.CROSS_ENTROPY, null);
        OptimizerSpec adam = OptimizerSpec.defaults("adam", 0.001);
        TrainingConfig config = new TrainingConfig(1, 128, true, 3, 0.2, true, null, null,
                new EarlyStoppingSpec("val_loss", "min", 5, 0, true));
        assertWithin25Percent(model, adam, config, 2_000);
    }

    private static void assertWithin25Percent(ModelSpec model, OptimizerSpec opt, TrainingConfig config, int rows) {
        TrainingMemory estimate = TrainingMemory.estimate(model, opt, config, rows);
        long base = usedAfterGc();

        // loading: the stored table and the trainer's copy of it, both alive
        float[] tableX = new float[rows * model.inputs()];
        float[] tableY = new float[rows];
        Rng rng = new Rng(1);
        for (int i = 0; i < tableX.length; i++) {
            tableX[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < rows; i++) {
            tableY[i] = rng.nextInt(model.outputs());
        }
        FMatrixRMaj x = new FMatrixRMaj(rows, model.inputs());
        FMatrixRMaj y = new FMatrixRMaj(rows, 1);
        System.arraycopy(tableX, 0, x.data, 0, tableX.length);
        System.arraycopy(tableY, 0, y.data, 0, rows);
        long loading = usedAfterGc() - base;
        // the table stays reachable until here, as the stored dataset does while the worker copies it
        java.lang.ref.Reference.reachabilityFence(tableX);
        java.lang.ref.Reference.reachabilityFence(tableY);
        tableX = null;
        tableY = null;

        // training: at an epoch's end, a checkpoint copied and encoded, as the recorder holds it
        Trainer trainer = new Trainer(model, opt, config, x, y, null);
        long[] training = new long[1];
        trainer.train(new TrainingListener() {
            @Override
            public void onEpoch(EpochEvent event) {
                Checkpoint cp = trainer.checkpoint();
                byte[] bytes = cp.encode();
                training[0] = usedAfterGc() - base;
                assertThat(bytes.length).isPositive();
                assertThat(cp.epoch()).isEqualTo(1);
            }
        }, () -> false);

        long measured = Math.max(loading, training[0]);
        assertThat((double) estimate.peakBytes())
                .as("estimate %d bytes, measured %d (loading %d, training %d)", estimate.peakBytes(), measured,
                        loading, training[0])
                .isBetween(measured * 0.75, measured * 1.25);
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}

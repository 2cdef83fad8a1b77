package io.backprop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A product split across threads sums every element in the order one thread does: the results, and a
 * whole training run's weights, are bit-identical on 1, 2 and 3 threads.
 */
class ParallelGemmTest {

    @AfterEach
    void normal() {
        CorePool.fixThreads(0);
    }

    private static FMatrixRMaj random(int rows, int cols, long seed) {
        Rng rng = new Rng(seed);
        FMatrixRMaj m = new FMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return m;
    }

    private interface Product {
        void run(Gemm gemm, FMatrixRMaj c);
    }

    private static List<float[]> onThreads(Product product, int rows, int cols) {
        List<float[]> results = new ArrayList<>();
        for (int threads = 1; threads <= 3; threads++) {
            CorePool.fixThreads(threads);
            long lent = CorePool.lent();
            FMatrixRMaj c = new FMatrixRMaj(rows, cols);
            product.run(Gemm.create(), c);
            assertThat(CorePool.lent() - lent).as("helpers lent on %d threads", threads).isEqualTo(threads - 1);
            results.add(c.data.clone());
        }
        return results;
    }

    @Test
    void everyProductShapeIsBitIdenticalOnOneTwoAndThreeThreads() {
        // rows that are not a multiple of 8, and K beyond one 256-deep block
        FMatrixRMaj a = random(203, 700, 1);
        FMatrixRMaj b = random(700, 130, 2);
        FMatrixRMaj at = random(700, 203, 3);
        FMatrixRMaj bt = random(130, 700, 4);
        List<List<float[]>> all = List.of(
                onThreads((g, c) -> g.mult(a, b, c), 203, 130),
                onThreads((g, c) -> g.multTransA(at, b, c), 203, 130),
                onThreads((g, c) -> g.multTransB(a, bt, c), 203, 130));
        for (List<float[]> results : all) {
            assertThat(results.get(1)).isEqualTo(results.get(0));
            assertThat(results.get(2)).isEqualTo(results.get(0));
        }
        FMatrixRMaj reference = new FMatrixRMaj(203, 130);
        new EjmlGemm().mult(a, b, reference);
        for (int i = 0; i < reference.data.length; i++) {
            assertThat((double) all.get(0).get(1)[i]).isCloseTo(reference.data[i], org.assertj.core.data.Offset.offset(1e-3));
        }
    }

    @Test
    void aTimesBTransposedReadInPlaceEqualsTheProductWithAnExplicitTransposeBitForBit() {
        // columns past the last 2-vector panel (130 = 128 + 2, 150 = 128 + 16 + 6) and rows past the last 8
        for (int n : new int[] {130, 150, 512}) {
            FMatrixRMaj a = random(203, 700, 7);
            FMatrixRMaj bt = random(n, 700, 8);
            FMatrixRMaj b = new FMatrixRMaj(700, n);
            org.ejml.dense.row.CommonOps_FDRM.transpose(bt, b);
            FMatrixRMaj expected = new FMatrixRMaj(203, n);
            FMatrixRMaj actual = new FMatrixRMaj(203, n);
            Gemm gemm = Gemm.create();
            gemm.mult(a, b, expected);
            gemm.multTransB(a, bt, actual);
            assertThat(actual.data).as("n = %d", n).isEqualTo(expected.data);
        }
    }

    @Test
    void productsWithPanelledOperandsEqualTheRowMajorOnesBitForBitOnOneTwoAndThreeThreads() {
        // three panels (96 columns: one a thread on three), four (128); rows past the last 8, K past one block
        for (int n : new int[] {96, 128}) {
            FMatrixRMaj a = random(203, 700, 11);
            FMatrixRMaj b = random(700, n, 12);
            FMatrixRMaj at = random(700, 203, 13);
            float[] bPanels = new float[700 * n];
            Panels.fromRowMajor(b.data, 700, n, bPanels);
            FMatrixRMaj expected = new FMatrixRMaj(203, n);
            Gemm.create().mult(a, b, expected);
            FMatrixRMaj expectedTransA = new FMatrixRMaj(203, n);
            Gemm.create().multTransA(at, b, expectedTransA);
            float[] expectedTransAPanels = new float[203 * n];
            Panels.fromRowMajor(expectedTransA.data, 203, n, expectedTransAPanels);

            for (float[] c : onThreads((g, c) -> g.multPanels(a, bPanels, c), 203, n)) {
                assertThat(c).as("a · b, %d columns", n).isEqualTo(expected.data);
            }
            for (float[] c : onThreads((g, c) -> g.multTransAPanels(at, b, c.data), 203, n)) {
                assertThat(c).as("aᵀ · b, %d columns", n).isEqualTo(expectedTransAPanels);
            }
            FMatrixRMaj fallback = new FMatrixRMaj(203, n);
            new EjmlGemm().multPanels(a, bPanels, fallback);
            float[] fallbackTransA = new float[203 * n];
            new EjmlGemm().multTransAPanels(at, b, fallbackTransA);
            for (int i = 0; i < fallback.data.length; i++) {
                assertThat((double) fallback.data[i]).isCloseTo(expected.data[i], org.assertj.core.data.Offset.offset(1e-3));
                assertThat((double) fallbackTransA[i]).isCloseTo(expectedTransAPanels[i], org.assertj.core.data.Offset.offset(1e-3));
            }
        }
    }

    @Test
    void thePanelLayoutHoldsEachPanelsRowsContiguouslyAndConvertsBack() {
        FMatrixRMaj m = random(5, 64, 14);
        float[] panels = new float[5 * 64];
        Panels.fromRowMajor(m.data, 5, 64, panels);
        for (int r = 0; r < 5; r++) {
            for (int c = 0; c < 64; c++) {
                assertThat(panels[(c / 32) * 5 * 32 + r * 32 + c % 32]).isEqualTo(m.get(r, c));
            }
        }
        float[] back = new float[5 * 64];
        Panels.toRowMajor(panels, 5, 64, back);
        assertThat(back).isEqualTo(m.data);
        assertThat(Panels.fits(64)).isTrue();
        assertThat(Panels.fits(100)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "adam"})
    void aTrainingRunEndsWithTheSameWeightsBitForBitOnOneTwoAndThreeThreads(String optimizer) {
        // 784 × 256 weights: large enough for the optimizer's split too; batches of 256 are gathered in parts
        ModelSpec model = new ModelSpec(784, List.of(LayerSpec.of(256, Activation.RELU), LayerSpec.of(10, Activation.SOFTMAX)),
                Loss.CROSS_ENTROPY, null);
        assertThat(784 * 256).isGreaterThanOrEqualTo(2 * Optimizer.MIN_PART_ELEMENTS);
        assertSameWeightsOnOneTwoAndThreeThreads(model, optimizer);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tanh", "elu", "leaky_relu", "sigmoid"})
    void aDeeperRunWithDropoutEndsWithTheSameWeightsBitForBitOnOneTwoAndThreeThreads(String activation) {
        // 256 × 256 × 256 multiply-adds: the hidden layers' input gradient is split too, with dropout's
        // mask and the activation's derivative applied to it afterwards
        Activation f = Activation.fromId(activation);
        ModelSpec model = new ModelSpec(784, List.of(new LayerSpec(256, f, f.defaultParameter(), 0.25),
                LayerSpec.of(256, Activation.RELU), LayerSpec.of(10, Activation.SOFTMAX)), Loss.CROSS_ENTROPY, null);
        assertThat(256L * 256 * 256).isGreaterThanOrEqualTo(2 * CorePool.MIN_MACS_PER_PART);
        assertSameWeightsOnOneTwoAndThreeThreads(model, "sgd");
    }

    @Test
    void aRunWhoseChooserMixesSplitAndSoloStepsEndsWithTheSameWeightsAsOnOneThread() {
        Assumptions.assumeTrue(CorePool.CORES > 1, "needs a core to lend");
        ModelSpec model = new ModelSpec(784, List.of(LayerSpec.of(128, Activation.RELU), LayerSpec.of(10, Activation.SOFTMAX)),
                Loss.CROSS_ENTROPY, null);
        FMatrixRMaj x = random(2048, 784, 9);
        FMatrixRMaj y = new FMatrixRMaj(2048, 1);
        Rng rng = new Rng(10);
        for (int i = 0; i < 2048; i++) {
            y.data[i] = rng.nextInt(10);
        }
        // 64 × 784 × 128 multiply-adds: split only where the chooser says so; 32 steps an epoch, past the
        // warm-up and a whole measurement, whose blocks alternate split and solo steps
        assertThat(64L * 784 * 128).isBetween(2 * CorePool.MIN_MACS_PER_PART, 2 * CorePool.ALWAYS_SPLIT_MACS_PER_PART - 1);
        TrainingConfig config = new TrainingConfig(30, 64, true, 3, 0.0, false, null, null, null);
        assertThat(30 * 2048 / 64).isGreaterThan(SplitChooser.WARM_UP + 2 * SplitChooser.ROUNDS * SplitChooser.MAX_BLOCK);
        OptimizerSpec spec = OptimizerSpec.defaults("sgd", 0.01).withMomentum(0.9, false);
        List<float[][]> weights = new ArrayList<>();
        for (int threads : new int[] {1, 0}) {
            CorePool.fixThreads(threads);
            long lent = CorePool.borrower().lent;
            Trainer trainer = new Trainer(model, spec, config, x, y, null);
            trainer.train(new TrainingListener() { }, () -> false);
            if (threads == 0) {
                assertThat(CorePool.borrower().lent).as("helpers borrowed by the chosen steps").isGreaterThan(lent);
            }
            weights.add(Checkpoint.deepCopy(trainer.network().parameterArrays()));
        }
        for (int i = 0; i < weights.get(0).length; i++) {
            assertThat(weights.get(1)[i]).as("tensor %d", i).isEqualTo(weights.get(0)[i]);
        }
    }

    private static void assertSameWeightsOnOneTwoAndThreeThreads(ModelSpec model, String optimizer) {
        FMatrixRMaj x = random(2048, 784, 5);
        FMatrixRMaj y = new FMatrixRMaj(2048, 1);
        Rng rng = new Rng(6);
        for (int i = 0; i < 2048; i++) {
            y.data[i] = rng.nextInt(10);
        }
        // batch 256: the products are large enough to be split
        TrainingConfig config = new TrainingConfig(2, 256, true, 3, 0.0, false, null, null, null);
        OptimizerSpec spec = optimizer.equals("sgd") ? OptimizerSpec.defaults("sgd", 0.01).withMomentum(0.9, false)
                : OptimizerSpec.defaults("adam", 0.001);
        List<float[][]> weights = new ArrayList<>();
        for (int threads = 1; threads <= 3; threads++) {
            CorePool.fixThreads(threads);
            long lent = CorePool.lent();
            Trainer trainer = new Trainer(model, spec, config, x, y, null);
            trainer.train(new TrainingListener() { }, () -> false);
            assertThat(CorePool.lent() > lent).as("split on %d threads", threads).isEqualTo(threads > 1);
            weights.add(Checkpoint.deepCopy(trainer.network().parameterArrays()));
        }
        for (int t = 1; t < 3; t++) {
            for (int i = 0; i < weights.get(0).length; i++) {
                assertThat(weights.get(t)[i]).as("%d threads, %s %d", t + 1, i % 2 == 0 ? "weights" : "biases", i / 2)
                        .isEqualTo(weights.get(0)[i]);
            }
        }
    }

    @Test
    void aLargeBatchIsGatheredInPartsOnTheLentCoresRowForRow() {
        ModelSpec model = new ModelSpec(784, List.of(LayerSpec.of(10, Activation.SOFTMAX)), Loss.CROSS_ENTROPY, null);
        FMatrixRMaj x = random(1000, 784, 7);
        FMatrixRMaj y = random(1000, 1, 8);
        int[] order = new int[1000];
        for (int i = 0; i < order.length; i++) {
            order[i] = (i * 379) % order.length;
        }
        assertThat(256 * 784).isGreaterThanOrEqualTo(2 * Workspace.MIN_PART_FLOATS);
        CorePool.fixThreads(2);
        Workspace work = new Workspace(model, 256, true);
        long lent = CorePool.lent();

        work.gather(x, y, order, 100, 256);

        assertThat(CorePool.lent() - lent).as("helpers lent").isEqualTo(1);
        for (int i = 0; i < 256; i++) {
            int r = order[100 + i];
            for (int j = 0; j < 784; j++) {
                assertThat(work.xb.get(i, j)).as("row %d, column %d", i, j).isEqualTo(x.get(r, j));
            }
            assertThat(work.yb.get(i, 0)).isEqualTo(y.get(r, 0));
        }
    }
}

package io.backprop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;

/** The engine learns real problems to the accuracy the literature reports. */
class LearningTest {

    @Test
    void learnsXorPerfectly() {
        FMatrixRMaj x = new FMatrixRMaj(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        FMatrixRMaj y = new FMatrixRMaj(new float[][] {{0}, {1}, {1}, {0}});
        ModelSpec model = new ModelSpec(2, List.of(LayerSpec.of(8, Activation.TANH), LayerSpec.of(1, Activation.SIGMOID)),
                Loss.BINARY_CROSS_ENTROPY, null);
        Trainer trainer = new Trainer(model, OptimizerSpec.defaults("adam", 0.05), TrainingConfig.simple(500, 4, 7),
                x, y, null);

        trainer.train(TrainingListener.NONE, () -> false);

        FMatrixRMaj out = trainer.network().predict(x);
        for (int i = 0; i < 4; i++) {
            assertThat(out.get(i, 0) >= 0.5f).as("row %d: %s", i, out.get(i, 0)).isEqualTo(y.get(i, 0) == 1f);
        }
    }

    @Test
    void digitsReachesAtLeast97PercentHeldOut() {
        double accuracy = heldOutAccuracy("digits.csv", 128, OptimizerSpec.defaults("adam", 1e-3), 40, 32);
        assertThat(accuracy).isGreaterThanOrEqualTo(0.97);
    }

    @Test
    void irisReachesAtLeast95PercentHeldOut() {
        double accuracy = heldOutAccuracy("iris.csv", 16, OptimizerSpec.defaults("adam", 1e-2), 50, 16);
        assertThat(accuracy).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void diabetesRegressionExplainsAtLeast40PercentOfVariance() {
        TestData[] parts = TestData.load("diabetes.csv", false).split(0.2, 1);
        TestData train = parts[0];
        TestData test = parts[1];
        float mean = mean(train.y());
        float std = std(train.y(), mean);
        FMatrixRMaj yScaled = train.y().copy();
        for (int i = 0; i < yScaled.data.length; i++) {
            yScaled.data[i] = (yScaled.data[i] - mean) / std;
        }
        ModelSpec model = new ModelSpec(10, List.of(LayerSpec.of(16, Activation.RELU), LayerSpec.of(1, Activation.LINEAR)),
                Loss.MSE, null);
        TrainingConfig config = new TrainingConfig(60, 32, true, 3, 0.0, true, null, null, null);
        Trainer trainer = new Trainer(model, OptimizerSpec.defaults("adam", 5e-3).withWeightDecay(1e-3), config,
                train.x(), yScaled, null);
        trainer.train(TrainingListener.NONE, () -> false);

        FMatrixRMaj testX = test.x().copy();
        trainer.preprocessing().applyInPlace(testX);
        FMatrixRMaj predicted = trainer.network().predict(testX);
        double ssRes = 0;
        double ssTot = 0;
        float testMean = mean(test.y());
        for (int i = 0; i < predicted.numRows; i++) {
            double p = predicted.get(i, 0) * std + mean;
            double t = test.y().get(i, 0);
            ssRes += (t - p) * (t - p);
            ssTot += (t - testMean) * (t - testMean);
        }
        assertThat(1 - ssRes / ssTot).isGreaterThanOrEqualTo(0.4);
    }

    private static double heldOutAccuracy(String file, int hidden, OptimizerSpec optimizer, int epochs, int batch) {
        TestData data = TestData.load(file, true);
        TestData[] parts = data.split(0.2, 1);
        ModelSpec model = new ModelSpec(data.x().numCols,
                List.of(LayerSpec.of(hidden, Activation.RELU), LayerSpec.of(data.classes(), Activation.SOFTMAX)),
                Loss.CROSS_ENTROPY, null);
        TrainingConfig config = new TrainingConfig(epochs, batch, true, 42, 0.0, true, null, null, null);
        Trainer trainer = new Trainer(model, optimizer, config, parts[0].x(), parts[0].y(), null);
        TrainingResult result = trainer.train(TrainingListener.NONE, () -> false);
        assertThat(result.reason()).isEqualTo(TrainingResult.StopReason.COMPLETED);

        FMatrixRMaj testX = parts[1].x().copy();
        trainer.preprocessing().applyInPlace(testX);
        return TestData.accuracy(trainer.network().predict(testX), parts[1].y());
    }

    private static float mean(FMatrixRMaj m) {
        double s = 0;
        for (int i = 0; i < m.getNumElements(); i++) {
            s += m.data[i];
        }
        return (float) (s / m.getNumElements());
    }

    private static float std(FMatrixRMaj m, float mean) {
        double s = 0;
        for (int i = 0; i < m.getNumElements(); i++) {
            s += (m.data[i] - mean) * (m.data[i] - mean);
        }
        return (float) Math.sqrt(s / m.getNumElements());
    }
}

package io.backprop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Analytic gradients agree with central finite differences for every activation and loss. */
class GradientCheckTest {

    static Stream<Arguments> networks() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (Activation hidden : List.of(Activation.SIGMOID, Activation.TANH, Activation.RELU, Activation.LEAKY_RELU,
                Activation.ELU, Activation.LINEAR)) {
            cases.add(Arguments.of(hidden, Activation.SOFTMAX, Loss.CROSS_ENTROPY));
            cases.add(Arguments.of(hidden, Activation.SIGMOID, Loss.BINARY_CROSS_ENTROPY));
            cases.add(Arguments.of(hidden, Activation.LINEAR, Loss.MSE));
        }
        for (Activation out : List.of(Activation.SIGMOID, Activation.TANH, Activation.RELU, Activation.LEAKY_RELU,
                Activation.ELU)) {
            cases.add(Arguments.of(Activation.TANH, out, Loss.MSE));
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0} hidden, {1} output, {2}")
    @MethodSource("networks")
    void analyticGradientsMatchFiniteDifferences(Activation hidden, Activation output, Loss loss) {
        int inputs = 4;
        int outputs = 3;
        int rows = 6;
        Rng rng = new Rng(hidden.ordinal() * 31L + output.ordinal() * 7L + loss.ordinal());
        ModelSpec model = new ModelSpec(inputs, List.of(LayerSpec.of(5, hidden), LayerSpec.of(4, hidden),
                LayerSpec.of(outputs, output)), loss, Init.XAVIER_NORMAL);
        FMatrixRMaj x = new FMatrixRMaj(rows, inputs);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = (float) rng.nextGaussian();
        }
        FMatrixRMaj y = new FMatrixRMaj(rows, loss == Loss.CROSS_ENTROPY ? 1 : outputs);
        for (int i = 0; i < y.data.length; i++) {
            y.data[i] = switch (loss) {
                case CROSS_ENTROPY -> rng.nextInt(outputs);
                case BINARY_CROSS_ENTROPY -> rng.nextInt(2);
                case MSE -> (float) rng.nextGaussian();
            };
        }
        Trainer trainer = new Trainer(model, OptimizerSpec.defaults("sgd", 0.1), TrainingConfig.simple(1, rows, 5),
                x, y, null);
        trainer.gradientsFor(x, y);
        float[][] params = trainer.parameterArrays();
        float[][] analytic = new float[params.length][];
        for (int t = 0; t < params.length; t++) {
            analytic[t] = trainer.gradientArrays()[t].clone();
        }

        // small enough that no ReLU-family kink lies within h of a pre-activation on these seeds
        float h = 1e-3f;
        int checked = 0;
        for (int t = 0; t < params.length; t++) {
            for (int i = 0; i < params[t].length; i++) {
                float saved = params[t][i];
                params[t][i] = saved + h;
                double plus = trainer.gradientsFor(x, y);
                params[t][i] = saved - h;
                double minus = trainer.gradientsFor(x, y);
                params[t][i] = saved;
                double numeric = (plus - minus) / (2 * h);
                assertThat(Math.abs(analytic[t][i] - numeric))
                        .as("tensor %d element %d: analytic %s numeric %s", t, i, analytic[t][i], numeric)
                        .isLessThanOrEqualTo(2e-3 + 2e-2 * Math.abs(numeric));
                checked++;
            }
        }
        assertThat(checked).isEqualTo((int) model.parameterCount());
    }
}

package io.backprop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;

/** A layer with dropout, forward and backward, against finite differences with the same mask. */
class DenseLayerTest {

    private static final int ROWS = 5;
    private final Rng data = new Rng(11);
    private final FMatrixRMaj x = random(ROWS, 3);
    private final FMatrixRMaj w1 = random(3, 4);
    private final FMatrixRMaj b1 = random(1, 4);
    private final FMatrixRMaj w2 = random(4, 2);
    private final FMatrixRMaj b2 = random(1, 2);
    private final FMatrixRMaj g = random(ROWS, 2);
    private final Gemm gemm = Gemm.create();
    private final DenseLayer hidden = new DenseLayer(new LayerSpec(4, Activation.TANH, 0, 0.5), 3, ROWS, true, true, false);
    private final DenseLayer top = new DenseLayer(new LayerSpec(2, Activation.LINEAR, 0, 0), 4, ROWS, false, true, false);

    @Test
    void dropoutGradientsMatchFiniteDifferencesUnderTheSameMask() {
        loss();
        top.delta.reshape(ROWS, 2);
        System.arraycopy(g.data, 0, top.delta.data, 0, g.data.length);   // dL/dZ2 = G for L = Σ Z2 ⊙ G
        top.backward(gemm, hidden.output, w2, ROWS, hidden);
        hidden.backward(gemm, x, w1, ROWS, null);
        float[] analytic = hidden.gradW.data.clone();

        double eps = 1e-2;
        for (int i = 0; i < w1.data.length; i++) {
            float saved = w1.data[i];
            w1.data[i] = (float) (saved + eps);
            double up = loss();
            w1.data[i] = (float) (saved - eps);
            double down = loss();
            w1.data[i] = saved;
            assertThat((double) analytic[i]).as("dW1[%d]", i).isCloseTo((up - down) / (2 * eps), within(2e-3));
        }
    }

    @Test
    void droppedUnitsAreZeroAndKeptOnesScaledWhileInferenceKeepsEveryUnit() {
        hidden.linear(gemm, x, w1, b1, ROWS);
        FMatrixRMaj trained = hidden.activate(ROWS, new Rng(7));
        float[] activated = hidden.act.data.clone();
        int dropped = 0;
        for (int i = 0; i < ROWS * 4; i++) {
            if (trained.data[i] == 0f && activated[i] != 0f) {
                dropped++;
            } else {
                assertThat(trained.data[i]).isEqualTo(activated[i] * 2f);   // 1 / (1 - 0.5)
            }
        }
        assertThat(dropped).isBetween(1, ROWS * 4 - 1);
        hidden.linear(gemm, x, w1, b1, ROWS);
        FMatrixRMaj inferred = hidden.activate(ROWS, null);
        assertThat(inferred.data).containsExactly(hidden.act.data);
    }

    /** L = Σ (tanh(X·W1 + b1) ⊙ M · W2 + b2) ⊙ G, the mask drawn from the same seed every time. */
    private double loss() {
        hidden.linear(gemm, x, w1, b1, ROWS);
        FMatrixRMaj d = hidden.activate(ROWS, new Rng(7));
        top.linear(gemm, d, w2, b2, ROWS);
        FMatrixRMaj out = top.activate(ROWS, null);
        double sum = 0;
        for (int i = 0; i < g.data.length; i++) {
            sum += (double) out.data[i] * g.data[i];
        }
        return sum;
    }

    private FMatrixRMaj random(int rows, int cols) {
        FMatrixRMaj m = new FMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = (float) data.nextGaussian() * 0.5f;
        }
        return m;
    }
}

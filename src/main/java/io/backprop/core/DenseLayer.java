package io.backprop.core;

import org.ejml.data.FMatrixRMaj;

/**
 * One dense layer's passes and the buffers they write, forward and backward side by side; B is the
 * batch's rows. Forward (llm.c's matmul_forward, then the activation in place):
 * <pre>
 *   Z = X · W + b                // (B, out) = (B, in) · (in, out)
 *   A = f(Z)                     // in place
 *   D = A ⊙ M / (1 - p)          // inverted dropout, training only; D is A without dropout
 * </pre>
 * Backward (micrograd's chain rule, llm.c's matmul_backward):
 * <pre>
 *   dW = Xᵀ · dZ                 // (in, out) = (B, in)ᵀ · (B, out)
 *   db = Σ_rows dZ               // (1, out)
 *   dX = dZ · Wᵀ                 // (B, in) = (B, out) · (in, out)ᵀ: the layer below's dD
 *   dZ = dD ⊙ M/(1-p) ⊙ f'(A)    // each layer turns its dD into its dZ, in place
 * </pre>
 * Buffers are allocated for the largest batch; a smaller one reshapes them in place (EJML keeps an
 * array that is large enough), so no step allocates. Used by training and by prediction alike.
 */
final class DenseLayer {

    private final LayerSpec spec;
    /** A (B, out): Z, then f(Z) in place. */
    final FMatrixRMaj act;
    /** D (B, out): the dropout output, or {@code act} itself where the layer has no dropout. */
    final FMatrixRMaj output;
    /** Per element 0 or 1/(1-p); null without dropout. */
    private final float[] mask;
    /** dZ (B, out), written as dD by the layer above and turned into dZ here; null for inference. */
    final FMatrixRMaj delta;
    /** dW (in, out) and db (1, out); null for inference. */
    final FMatrixRMaj gradW;
    final FMatrixRMaj gradB;
    /** Whether W and dW are in the {@link Panels} layout ({@link TrainingLayout}); never with a layer below. */
    private final boolean panels;

    /**
     * @param dropout  whether this layer applies its dropout (hidden layers with p > 0, when training)
     * @param training whether to allocate the backward buffers
     * @param panels   whether the weights this layer is given, and the gradient it writes, are in the
     *                 {@link Panels} layout
     */
    DenseLayer(LayerSpec spec, int in, int batch, boolean dropout, boolean training, boolean panels) {
        this.spec = spec;
        this.panels = panels;
        int out = spec.units();
        this.act = new FMatrixRMaj(batch, out);
        this.output = dropout ? new FMatrixRMaj(batch, out) : act;
        this.mask = dropout ? new float[Math.multiplyExact(batch, out)] : null;
        this.delta = training ? new FMatrixRMaj(batch, out) : null;
        this.gradW = training ? new FMatrixRMaj(in, out) : null;
        this.gradB = training ? new FMatrixRMaj(1, out) : null;
    }

    int units() {
        return spec.units();
    }

    /** Z = X · W + b into {@code act}; returned so a loss can read the logits before f. Modifies act. */
    FMatrixRMaj linear(Gemm gemm, FMatrixRMaj x, FMatrixRMaj w, FMatrixRMaj b, int rows) {
        act.reshape(rows, spec.units());
        if (panels) {
            gemm.multPanels(x, w.data, act);                             // (B, in) · (in, out)
        } else {
            gemm.mult(x, w, act);                                        // (B, in) · (in, out)
        }
        gemm.addBias(act.data, b.data, rows, spec.units());
        return act;
    }

    /**
     * A = f(Z) in place, then dropout: a fresh mask from {@code dropoutRng} when training, a plain copy
     * when {@code dropoutRng} is null (inference). Modifies act, output and the mask.
     *
     * @return what the next layer reads (D)
     */
    FMatrixRMaj activate(int rows, Rng dropoutRng) {
        int out = spec.units();
        spec.activation().forward(act.data, rows, out, (float) spec.parameter());
        if (mask == null) {
            return act;
        }
        output.reshape(rows, out);
        int n = rows * out;
        if (dropoutRng != null) {
            float keep = (float) (1.0 / (1.0 - spec.dropout()));
            for (int i = 0; i < n; i++) {
                mask[i] = dropoutRng.nextDouble() < spec.dropout() ? 0f : keep;
                output.data[i] = act.data[i] * mask[i];
            }
        } else {
            System.arraycopy(act.data, 0, output.data, 0, n);
        }
        return output;
    }

    /**
     * dW = Xᵀ·dZ and db = Σ dZ from this layer's dZ; with a layer {@code below}, its dD = dZ·Wᵀ, which
     * it turns into its dZ. Modifies gradW, gradB and the layer below's delta.
     */
    void backward(Gemm gemm, FMatrixRMaj x, FMatrixRMaj w, int rows, DenseLayer below) {
        if (panels) {
            gemm.multTransAPanels(x, delta, gradW.data);                 // (B, in)ᵀ · (B, out)
        } else {
            gemm.multTransA(x, delta, gradW);                            // (B, in)ᵀ · (B, out)
        }
        gemm.columnSums(delta.data, rows, delta.numCols, gradB.data);
        if (below != null) {
            if (panels) {
                throw new IllegalStateException("panelled weights are not read transposed");
            }
            below.delta.reshape(rows, below.units());
            gemm.multTransB(delta, w, below.delta);                      // (B, out) · (in, out)ᵀ
            below.activationBackward(rows);
        }
    }

    /** dZ = dD ⊙ M ⊙ f'(A), in place in delta. */
    private void activationBackward(int rows) {
        int n = rows * spec.units();
        if (mask != null) {
            for (int i = 0; i < n; i++) {
                delta.data[i] *= mask[i];
            }
        }
        spec.activation().backward(act.data, delta.data, n, (float) spec.parameter());
    }
}

package io.backprop.core;

import java.util.List;
import org.ejml.data.FMatrixRMaj;

/**
 * The parameters of a multilayer perceptron. Weights are stored {@code (in, out)} so the forward pass is
 * {@code X · W} with no transpose; the torch layout {@code [out][in]} is produced only on export.
 */
public final class Network {

    private final ModelSpec spec;
    private final FMatrixRMaj[] weights;
    private final FMatrixRMaj[] biases;

    private Network(ModelSpec spec, FMatrixRMaj[] weights, FMatrixRMaj[] biases) {
        this.spec = spec;
        this.weights = weights;
        this.biases = biases;
    }

    /** Fresh parameters drawn from {@code rng} (modified), layer by layer, weights only. */
    public static Network initialize(ModelSpec spec, Rng rng) {
        int layers = spec.layers().size();
        FMatrixRMaj[] w = new FMatrixRMaj[layers];
        FMatrixRMaj[] b = new FMatrixRMaj[layers];
        for (int l = 0; l < layers; l++) {
            int in = spec.fanIn(l);
            int out = spec.layers().get(l).units();
            w[l] = new FMatrixRMaj(in, out);
            b[l] = new FMatrixRMaj(1, out);
            spec.initFor(l).fill(w[l].data, in, out, rng);
        }
        return new Network(spec, w, b);
    }

    /**
     * Parameters in torch's layout: {@code weights.get(l)} is {@code [out][in]}, {@code biases.get(l)}
     * {@code [out]}; values are narrowed to float32.
     *
     * @throws IllegalArgumentException naming the first tensor whose shape does not fit the spec
     */
    public static Network fromTorchLayout(ModelSpec spec, List<double[][]> weightsOutIn, List<double[]> biases) {
        int layers = spec.layers().size();
        if (weightsOutIn.size() != layers || biases.size() != layers) {
            throw new IllegalArgumentException("expected " + layers + " layers, got " + weightsOutIn.size());
        }
        FMatrixRMaj[] w = new FMatrixRMaj[layers];
        FMatrixRMaj[] b = new FMatrixRMaj[layers];
        for (int l = 0; l < layers; l++) {
            int in = spec.fanIn(l);
            int out = spec.layers().get(l).units();
            double[][] src = weightsOutIn.get(l);
            if (src.length != out || (out > 0 && src[0].length != in)) {
                throw new IllegalArgumentException("layers." + l + ".weight must be [" + out + ", " + in + "]");
            }
            if (biases.get(l).length != out) {
                throw new IllegalArgumentException("layers." + l + ".bias must be [" + out + "]");
            }
            w[l] = new FMatrixRMaj(in, out);
            b[l] = new FMatrixRMaj(1, out);
            for (int o = 0; o < out; o++) {
                if (src[o].length != in) {
                    throw new IllegalArgumentException("layers." + l + ".weight must be [" + out + ", " + in + "]");
                }
                for (int i = 0; i < in; i++) {
                    w[l].data[i * out + o] = (float) src[o][i];
                }
                b[l].data[o] = (float) biases.get(l)[o];
            }
        }
        return new Network(spec, w, b);
    }

    public ModelSpec spec() {
        return spec;
    }

    public int layerCount() {
        return weights.length;
    }

    /** Layer l's weight as {@code [out][in]} (torch's layout); a copy. */
    public float[][] weightOutIn(int layer) {
        FMatrixRMaj w = weights[layer];
        int in = w.numRows;
        int out = w.numCols;
        float[][] result = new float[out][in];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                result[o][i] = w.data[i * out + o];
            }
        }
        return result;
    }

    /** Layer l's bias; a copy. */
    public float[] bias(int layer) {
        return biases[layer].data.clone();
    }

    /** A copy to train as {@code model}, which must have this network's inputs and layers. */
    Network copyFor(ModelSpec model) {
        if (!spec.layers().equals(model.layers()) || spec.inputs() != model.inputs()) {
            throw new IllegalArgumentException("initial weights do not fit the model");
        }
        return copy();
    }

    public Network copy() {
        FMatrixRMaj[] w = new FMatrixRMaj[weights.length];
        FMatrixRMaj[] b = new FMatrixRMaj[biases.length];
        for (int l = 0; l < w.length; l++) {
            w[l] = weights[l].copy();
            b[l] = biases[l].copy();
        }
        return new Network(spec, w, b);
    }

    /**
     * Outputs after the output activation for {@code x (rows, inputs)}, without dropout. Allocates its
     * result; for serving, not for the training loop.
     */
    public FMatrixRMaj predict(FMatrixRMaj x) {
        if (x.numCols != spec.inputs()) {
            throw new IllegalArgumentException("expected " + spec.inputs() + " inputs, got " + x.numCols);
        }
        Gemm gemm = Gemm.create();
        FMatrixRMaj a = x;
        for (int l = 0; l < weights.length; l++) {
            DenseLayer layer = new DenseLayer(spec.layers().get(l), spec.fanIn(l), x.numRows, false, false, false);
            layer.linear(gemm, a, weights[l], biases[l], x.numRows);
            a = layer.activate(x.numRows, null);
        }
        return a;
    }

    FMatrixRMaj weight(int layer) {
        return weights[layer];
    }

    FMatrixRMaj biasMatrix(int layer) {
        return biases[layer];
    }

    /** Parameter arrays in a fixed order (W0, b0, W1, b1, …): what optimizers and checkpoints walk. */
    float[][] parameterArrays() {
        float[][] p = new float[weights.length * 2][];
        for (int l = 0; l < weights.length; l++) {
            p[2 * l] = weights[l].data;
            p[2 * l + 1] = biases[l].data;
        }
        return p;
    }

    /** Whether every value of these parameters (in any layout) is finite. */
    static boolean finite(float[][] parameters) {
        for (float[] p : parameters) {
            for (float v : p) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }
}

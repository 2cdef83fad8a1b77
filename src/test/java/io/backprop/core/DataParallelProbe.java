package io.backprop.core;

import java.util.List;
import org.ejml.data.FMatrixRMaj;

/** Throwaway probe: the step split by rows over two workspaces, against one. */
final class DataParallelProbe {

    public static void main(String[] args) {
        int batch = Integer.parseInt(args[0]);
        int shards = Integer.parseInt(args[1]);
        int hidden = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        int depth = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        CorePool.fixThreads(Integer.getInteger("threads", 0));
        List<LayerSpec> layers = new java.util.ArrayList<>();
        for (int i = 0; i < depth; i++) {
            layers.add(LayerSpec.of(hidden, Activation.RELU));
        }
        layers.add(LayerSpec.of(10, Activation.SOFTMAX));
        ModelSpec model = new ModelSpec(784, layers, Loss.CROSS_ENTROPY, null);
        Network network = Network.initialize(model, new Rng(1));
        int rows = 60_000;
        Rng rng = new Rng(2);
        FMatrixRMaj x = new FMatrixRMaj(rows, 784);
        FMatrixRMaj y = new FMatrixRMaj(rows, 1);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = (float) rng.nextDouble();
        }
        for (int i = 0; i < rows; i++) {
            y.data[i] = rng.nextInt(10);
        }
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        rng.shuffle(order, rows);
        int shardRows = batch / shards;
        Workspace[] work = new Workspace[shards];
        Gemm[] gemms = new Gemm[shards];
        float[][][] grads = new float[shards][][];
        for (int s = 0; s < shards; s++) {
            work[s] = new Workspace(model, shardRows, true);
            gemms[s] = Gemm.create();
            grads[s] = work[s].gradientArrays();
        }
        float[][] params = network.parameterArrays();
        float[][] momentum = Optimizer.zerosLike(params);
        int steps = rows / batch;
        for (int rep = 0; rep < 8; rep++) {
            long started = System.nanoTime();
            for (int step = 0; step < steps; step++) {
                int start = step * batch;
                CorePool.forEachPart(shards, (part, parts) -> {
                    for (int s = shards * part / parts; s < shards * (part + 1) / parts; s++) {
                        shardStep(model, network, work[s], gemms[s], x, y, order, start + s * shardRows, shardRows);
                    }
                });
                CorePool.forEachPart(2, (part, parts) -> {
                    for (int t = 0; t < params.length; t++) {
                        float[] p = params[t];
                        float[] v = momentum[t];
                        int from = (int) ((long) p.length * part / parts) & ~15;
                        int to = part + 1 == parts ? p.length : (int) ((long) p.length * (part + 1) / parts) & ~15;
                        for (int i = from; i < to; i++) {
                            float g = grads[0][t][i];
                            for (int s = 1; s < shards; s++) {
                                g += grads[s][t][i];
                            }
                            float m = 0.9f * v[i] + g;
                            v[i] = m;
                            p[i] -= 0.01f * m;
                        }
                    }
                });
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("batch %d shards %d: %,.0f samples/s%n", batch, shards, steps * batch / seconds);
        }
    }

    private static void shardStep(ModelSpec model, Network network, Workspace work, Gemm gemm, FMatrixRMaj x,
                                  FMatrixRMaj y, int[] order, int start, int rows) {
        work.gather(x, y, order, start, rows);
        FMatrixRMaj input = work.xb;
        DenseLayer[] layers = work.layers;
        for (int l = 0; l < layers.length; l++) {
            FMatrixRMaj z = layers[l].linear(gemm, input, network.weight(l), network.biasMatrix(l), rows);
            if (l == layers.length - 1) {
                Loss.crossEntropyOfLogits(z.data, work.yb.data, rows, z.numCols);
            }
            input = layers[l].activate(rows, null);
        }
        int last = layers.length - 1;
        FMatrixRMaj dz = layers[last].delta;
        dz.reshape(rows, model.outputs());
        model.loss().gradient(layers[last].act.data, work.yb.data, dz.data, rows, model.outputs());
        for (int l = last; l >= 0; l--) {
            FMatrixRMaj in = l == 0 ? work.xb : layers[l - 1].output;
            layers[l].backward(gemm, in, network.weight(l), rows, l > 0 ? layers[l - 1] : null);
        }
    }
}

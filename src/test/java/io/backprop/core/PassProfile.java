package io.backprop.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.ejml.data.FMatrixRMaj;

/**
 * Where a training step's time goes: the passes of {@link Trainer}'s step (DenseLayer's forward and
 * backward, the loss gradient, the optimizer) run one by one with a clock around each, on the same
 * buffers and kernel a run uses, with GFLOP/s for the products and GB/s for the element-wise passes.
 * Part of {@link TrainingBenchmark} ({@code -Dbench.networks=passes}), not a test.
 */
final class PassProfile {

    /** A constant, as C2 needs it to be to compile vector operations into instructions. */
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int WARM_UP_STEPS = 400;
    private static final int MEASURED_STEPS = 1_500;
    private static final int DATA_ROWS = Integer.getInteger("profileRows", 60_000);

    private final Map<String, Pass> passes = new LinkedHashMap<>();

    private PassProfile() {
    }

    /** The core's float32 FMA throughput: 16 independent chains of vector FMAs, best of 7 timings. */
    static double peakGflops() {
        for (int i = 0; i < 20_000; i++) {
            fmaChains(100);
        }
        double best = 0;
        for (int rep = 0; rep < 7; rep++) {
            int iterations = 5_000_000;
            long start = System.nanoTime();
            float sink = fmaChains(iterations);
            long nanos = System.nanoTime() - start;
            if (sink == 42f) {
                System.out.print("");
            }
            best = Math.max(best, 2.0 * 16 * S.length() * iterations / nanos);
        }
        return best;
    }

    /** Not inlined into a long loop of its caller, so C2 compiles it whole rather than on stack replacement. */
    private static float fmaChains(int iterations) {
        FloatVector a = FloatVector.broadcast(S, 0.999f);
        FloatVector b = FloatVector.broadcast(S, 1e-7f);
        FloatVector c0 = FloatVector.broadcast(S, 0f), c1 = FloatVector.broadcast(S, 1f), c2 = FloatVector.broadcast(S, 2f);
        FloatVector c3 = FloatVector.broadcast(S, 3f), c4 = FloatVector.broadcast(S, 4f), c5 = FloatVector.broadcast(S, 5f);
        FloatVector c6 = FloatVector.broadcast(S, 6f), c7 = FloatVector.broadcast(S, 7f), c8 = FloatVector.broadcast(S, 8f);
        FloatVector c9 = FloatVector.broadcast(S, 9f), c10 = FloatVector.broadcast(S, 10f), c11 = FloatVector.broadcast(S, 11f);
        FloatVector c12 = FloatVector.broadcast(S, 12f), c13 = FloatVector.broadcast(S, 13f), c14 = FloatVector.broadcast(S, 14f);
        FloatVector c15 = FloatVector.broadcast(S, 15f);
        for (int i = 0; i < iterations; i++) {
            c0 = c0.fma(a, b); c1 = c1.fma(a, b); c2 = c2.fma(a, b); c3 = c3.fma(a, b);
            c4 = c4.fma(a, b); c5 = c5.fma(a, b); c6 = c6.fma(a, b); c7 = c7.fma(a, b);
            c8 = c8.fma(a, b); c9 = c9.fma(a, b); c10 = c10.fma(a, b); c11 = c11.fma(a, b);
            c12 = c12.fma(a, b); c13 = c13.fma(a, b); c14 = c14.fma(a, b); c15 = c15.fma(a, b);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .add(c12).add(c13).add(c14).add(c15).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    static void run(String label, int[] widths, int batch, double peak) {
        new PassProfile().profile(label, widths, batch, peak);
    }

    private void profile(String label, int[] widths, int batch, double peak) {
        List<LayerSpec> layers = new ArrayList<>();
        for (int i = 1; i < widths.length - 1; i++) {
            layers.add(LayerSpec.of(widths[i], Activation.RELU));
        }
        layers.add(LayerSpec.of(widths[widths.length - 1], Activation.SOFTMAX));
        ModelSpec model = new ModelSpec(widths[0], layers, Loss.CROSS_ENTROPY, null);
        Network network = Network.initialize(model, new Rng(1));
        Workspace work = new Workspace(model, batch, true);
        Rng rng = new Rng(2);
        FMatrixRMaj x = new FMatrixRMaj(DATA_ROWS, widths[0]);
        FMatrixRMaj y = new FMatrixRMaj(DATA_ROWS, 1);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = (float) rng.nextDouble();
        }
        int[] order = new int[DATA_ROWS];
        for (int i = 0; i < DATA_ROWS; i++) {
            y.data[i] = rng.nextInt(model.outputs());
            order[i] = i;
        }
        rng.shuffle(order, DATA_ROWS);
        // the first layer in the trainer's layout, as a run trains it
        TrainingLayout layout = TrainingLayout.of(model);
        float[][] params = layout.parameters(network);
        FMatrixRMaj[] weights = layout.weights(network, params);
        float[][] grads = work.gradientArrays();
        Optimizer optimizer = Optimizer.create(OptimizerSpec.defaults("sgd", 0.001).withMomentum(0.9, false), params);
        layout.alignOptimizer(optimizer, batch);
        Gemm gemm = Gemm.create();
        for (int step = 0; step < WARM_UP_STEPS + MEASURED_STEPS; step++) {
            if (step == WARM_UP_STEPS) {
                passes.clear();
            }
            int start = step * batch % (DATA_ROWS - batch);
            time("gather the batch's rows", 0, 8.0 * batch * widths[0], () -> work.gather(x, y, order, start, batch));
            step(model, network, weights, layout, work, gemm, optimizer, params, grads, batch);
        }
        long total = passes.values().stream().mapToLong(p -> p.nanos).sum();
        System.out.printf("%s: %.1f us per step (%,.0f samples/s), measured FMA peak %.0f GFLOP/s%n",
                label, total / 1e3 / MEASURED_STEPS, batch * 1e9 * MEASURED_STEPS / total, peak);
        for (Map.Entry<String, Pass> e : passes.entrySet()) {
            Pass p = e.getValue();
            double seconds = p.nanos / 1e9;
            String rate = p.flops > 0
                    ? String.format("%6.1f GFLOP/s (%3.0f%% of peak)", p.flops / seconds / 1e9, 100 * p.flops / seconds / 1e9 / peak)
                    : String.format("%6.1f GB/s", p.bytes / seconds / 1e9);
            System.out.printf("  %-36s %8.2f us %5.1f%%  %s%n", e.getKey(), p.nanos / 1e3 / MEASURED_STEPS,
                    100.0 * p.nanos / total, rate);
        }
    }

    private void step(ModelSpec model, Network network, FMatrixRMaj[] weights, TrainingLayout layout, Workspace work,
                      Gemm gemm, Optimizer optimizer, float[][] params, float[][] grads, int rows) {
        DenseLayer[] layers = work.layers;
        FMatrixRMaj input = work.xb;
        for (int l = 0; l < layers.length; l++) {
            DenseLayer layer = layers[l];
            FMatrixRMaj in = input;
            FMatrixRMaj w = weights[l];
            boolean panels = layout.panelled(l);
            float[] bias = network.biasMatrix(l).data;
            int k = in.numCols;
            int n = layer.units();
            layer.act.reshape(rows, n);
            time("forward " + l + " X·W (" + rows + "x" + k + "·" + k + "x" + n + ")", 2.0 * rows * k * n, 0, () -> {
                if (panels) {
                    gemm.multPanels(in, w.data, layer.act);
                } else {
                    gemm.mult(in, w, layer.act);
                }
            });
            time("forward " + l + " + bias", 0, 8.0 * rows * n,
                    () -> gemm.addBias(layer.act.data, bias, rows, n));
            if (l < layers.length - 1) {
                time("forward " + l + " relu", 0, 8.0 * rows * n,
                        () -> Activation.RELU.forward(layer.act.data, rows, n, 0f));
            }
            input = layer.act;
        }
        int last = layers.length - 1;
        DenseLayer out = layers[last];
        out.delta.reshape(rows, model.outputs());
        time("loss: log-softmax + gradient", 0, 12.0 * rows * model.outputs(), () -> {
            Loss.crossEntropyOfLogits(out.act.data, work.yb.data, rows, model.outputs());
            Activation.SOFTMAX.forward(out.act.data, rows, model.outputs(), 0f);
            model.loss().gradient(out.act.data, work.yb.data, out.delta.data, rows, model.outputs());
        });
        for (int l = last; l >= 0; l--) {
            DenseLayer layer = layers[l];
            FMatrixRMaj x = l == 0 ? work.xb : layers[l - 1].act;
            FMatrixRMaj w = weights[l];
            boolean panels = layout.panelled(l);
            int k = x.numCols;
            int n = layer.units();
            time("backward " + l + " dW = Xt·dZ (" + k + "x" + rows + "·" + rows + "x" + n + ")", 2.0 * rows * k * n, 0, () -> {
                if (panels) {
                    gemm.multTransAPanels(x, layer.delta, layer.gradW.data);
                } else {
                    gemm.multTransA(x, layer.delta, layer.gradW);
                }
            });
            time("backward " + l + " db = col sums", 0, 4.0 * rows * n,
                    () -> gemm.columnSums(layer.delta.data, rows, n, layer.gradB.data));
            if (l > 0) {
                DenseLayer below = layers[l - 1];
                below.delta.reshape(rows, k);
                time("backward " + l + " dX = dZ·Wt (" + rows + "x" + n + "·" + n + "x" + k + ")", 2.0 * rows * k * n, 0,
                        () -> gemm.multTransB(layer.delta, w, below.delta));
                time("backward " + (l - 1) + " relu'", 0, 12.0 * rows * k,
                        () -> Activation.RELU.backward(below.act.data, below.delta.data, rows * k, 0f));
            }
        }
        long parameters = 0;
        for (float[] p : params) {
            parameters += p.length;
        }
        time("optimizer: sgd momentum (" + parameters + " parameters)", 0, 20.0 * parameters,
                () -> optimizer.step(params, grads, 0.001));
    }

    private void time(String name, double flops, double bytes, Runnable pass) {
        long start = System.nanoTime();
        pass.run();
        long nanos = System.nanoTime() - start;
        Pass p = passes.computeIfAbsent(name, n -> new Pass());
        p.nanos += nanos;
        p.flops += flops;
        p.bytes += bytes;
    }

    private static final class Pass {
        long nanos;
        double flops;
        double bytes;
    }
}

package io.backprop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reproduces every PyTorch reference in ../shared/golden to float32 precision. */
class GoldenReferenceTest {

    private static final double RELATIVE = 1e-4;
    private static final double ABSOLUTE_FLOOR = 1e-6;

    static Stream<Path> goldenFiles() throws IOException {
        try (Stream<Path> files = Files.list(SharedFiles.dir().resolve("golden"))) {
            List<Path> list = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            assertThat(list).hasSizeGreaterThanOrEqualTo(8);
            return list.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenFiles")
    void firstBatchOutputsLossAndGradientsMatchPyTorch(Path file) {
        Golden g = Golden.load(file);
        Trainer trainer = g.trainer();
        Golden.Batch first = g.batches.get(0);

        double loss = trainer.gradientsFor(first.x(), first.y());

        assertClose("loss", loss, g.json.get("firstBatch").get("loss").asDouble());
        double[][] expectedOutputs = toMatrix(g.json.get("firstBatch").get("outputs"));
        float[] outputs = trainer.outputBuffer();
        int cols = expectedOutputs[0].length;
        for (int r = 0; r < expectedOutputs.length; r++) {
            for (int c = 0; c < cols; c++) {
                assertClose("output[" + r + "][" + c + "]", outputs[r * cols + c], expectedOutputs[r][c]);
            }
        }
        assertParameters("gradient", trainer.gradientArrays(), g.json.get("firstBatch").get("gradients"), g.layers);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenFiles")
    void everyStepLossAndFinalParametersMatchPyTorch(Path file) {
        Golden g = Golden.load(file);
        Trainer trainer = g.trainer();
        List<Double> losses = new ArrayList<>();

        TrainingResult result = trainer.train(new TrainingListener() {
            @Override
            public void onStep(StepEvent event) {
                losses.add(event.loss());
            }
        }, () -> false);

        assertThat(result.reason()).isEqualTo(TrainingResult.StopReason.COMPLETED);
        JsonNode expected = g.json.get("losses");
        assertThat(losses).hasSize(expected.size());
        for (int i = 0; i < losses.size(); i++) {
            assertClose("loss of step " + i, losses.get(i), expected.get(i).asDouble());
        }
        assertParameters("final", trainer.parameterArrays(), g.json.get("final"), g.layers);
    }

    /** Compares W (in, out) and b arrays against torch's {@code layers.i.weight [out][in]}. */
    private static void assertParameters(String what, float[][] actual, JsonNode expected, int layers) {
        for (int l = 0; l < layers; l++) {
            double[][] w = toMatrix(expected.get("layers." + l + ".weight"));
            float[] aw = actual[2 * l];
            int out = w.length;
            int in = w[0].length;
            assertThat(aw).hasSize(in * out);
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    assertClose(what + " layers." + l + ".weight[" + o + "][" + i + "]", aw[i * out + o], w[o][i]);
                }
            }
            JsonNode b = expected.get("layers." + l + ".bias");
            for (int o = 0; o < out; o++) {
                assertClose(what + " layers." + l + ".bias[" + o + "]", actual[2 * l + 1][o], b.get(o).asDouble());
            }
        }
    }

    static void assertClose(String what, double actual, double expected) {
        double tolerance = Math.max(RELATIVE * Math.abs(expected), ABSOLUTE_FLOOR);
        assertThat(Math.abs(actual - expected))
                .as("%s: actual %s, expected %s", what, actual, expected)
                .isLessThanOrEqualTo(tolerance);
    }

    static double[][] toMatrix(JsonNode node) {
        double[][] m = new double[node.size()][];
        for (int r = 0; r < m.length; r++) {
            JsonNode row = node.get(r);
            m[r] = new double[row.size()];
            for (int c = 0; c < m[r].length; c++) {
                m[r][c] = row.get(c).asDouble();
            }
        }
        return m;
    }

    /** One reference file, turned into core objects. */
    static final class Golden {
        record Batch(FMatrixRMaj x, FMatrixRMaj y) {
        }

        final JsonNode json;
        final ModelSpec model;
        final OptimizerSpec optimizer;
        final Double clipNorm;
        final int layers;
        final List<Batch> batches = new ArrayList<>();

        private Golden(JsonNode json) {
            this.json = json;
            JsonNode m = json.get("model");
            List<LayerSpec> specs = new ArrayList<>();
            for (JsonNode layer : m.get("layers")) {
                specs.add(LayerSpec.of(layer.get("units").asInt(), Activation.fromId(layer.get("activation").asString())));
            }
            this.layers = specs.size();
            this.model = new ModelSpec(m.get("inputs").asInt(), specs, Loss.fromId(m.get("loss").asString()), null);
            JsonNode o = json.get("optimizer");
            String type = o.get("type").asString();
            OptimizerSpec base = OptimizerSpec.defaults(type, o.get("learningRate").asDouble());
            this.optimizer = new OptimizerSpec(type, base.learningRate(),
                    o.path("momentum").asDouble(0.0), o.path("nesterov").asBoolean(false),
                    o.path("weightDecay").asDouble(base.weightDecay()), o.path("beta1").asDouble(base.beta1()),
                    o.path("beta2").asDouble(base.beta2()), o.path("epsilon").asDouble(base.epsilon()),
                    o.path("alpha").asDouble(base.alpha()));
            this.clipNorm = json.get("clipNorm").isNull() ? null : json.get("clipNorm").asDouble();
            for (JsonNode b : json.get("batches")) {
                double[][] x = toMatrix(b.get("x"));
                FMatrixRMaj fx = new FMatrixRMaj(x.length, x[0].length);
                for (int r = 0; r < x.length; r++) {
                    for (int c = 0; c < x[r].length; c++) {
                        fx.set(r, c, (float) x[r][c]);
                    }
                }
                JsonNode ys = b.get("y");
                FMatrixRMaj fy;
                if (ys.get(0).isArray()) {
                    double[][] y = toMatrix(ys);
                    fy = new FMatrixRMaj(y.length, y[0].length);
                    for (int r = 0; r < y.length; r++) {
                        for (int c = 0; c < y[r].length; c++) {
                            fy.set(r, c, (float) y[r][c]);
                        }
                    }
                } else {
                    fy = new FMatrixRMaj(ys.size(), 1);
                    for (int r = 0; r < ys.size(); r++) {
                        fy.set(r, 0, ys.get(r).asInt());
                    }
                }
                batches.add(new Batch(fx, fy));
            }
        }

        static Golden load(Path file) {
            try {
                return new Golden(JsonMapper.builder().build().readTree(Files.readString(file)));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        Network initialNetwork() {
            JsonNode init = json.get("initial");
            List<double[][]> w = new ArrayList<>();
            List<double[]> b = new ArrayList<>();
            for (int l = 0; l < layers; l++) {
                w.add(toMatrix(init.get("layers." + l + ".weight")));
                JsonNode bias = init.get("layers." + l + ".bias");
                double[] bv = new double[bias.size()];
                for (int i = 0; i < bv.length; i++) {
                    bv[i] = bias.get(i).asDouble();
                }
                b.add(bv);
            }
            return Network.fromTorchLayout(model, w, b);
        }

        /** All batches stacked in order, trained one epoch without shuffling: torch's loop exactly. */
        Trainer trainer() {
            int rows = batches.stream().mapToInt(bt -> bt.x().numRows).sum();
            FMatrixRMaj x = new FMatrixRMaj(rows, model.inputs());
            FMatrixRMaj y = new FMatrixRMaj(rows, batches.get(0).y().numCols);
            int r = 0;
            for (Batch bt : batches) {
                System.arraycopy(bt.x().data, 0, x.data, r * x.numCols, bt.x().getNumElements());
                System.arraycopy(bt.y().data, 0, y.data, r * y.numCols, bt.y().getNumElements());
                r += bt.x().numRows;
            }
            TrainingConfig config = new TrainingConfig(1, batches.get(0).x().numRows, false, 0, 0.0, false,
                    clipNorm, null, null);
            return new Trainer(model, optimizer, config, x, y, initialNetwork());
        }
    }
}

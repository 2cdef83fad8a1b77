package io.backprop.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/** Hostile input: every case answers 4xx problem+json, never a 500, and stores nothing. */
@TestPropertySource(properties = {"backprop.max-dataset-bytes=200000", "backprop.max-parameters=1000000",
        "backprop.max-epochs=100000"})
class BadInputTest extends ServiceTestBase {

    private static final String UNKNOWN = "00000000-0000-0000-0000-000000000001";

    @Autowired
    JdbcTemplate jdbc;

    record Case(String name, int status, Function<Api, Api.Response> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case json(String name, int status, String path, String body) {
        return new Case(name, status, a -> a.postJson(path, body));
    }

    static Case csv(String name, int status, String content, String... fields) {
        return new Case(name, status, a -> a.upload("/api/v1/datasets", "data.csv",
                content.getBytes(StandardCharsets.UTF_8), fields));
    }

    static Case run(String name, int status, String model, String optimizer, String training, String dataset) {
        String body = "{\"dataset\":" + dataset + ",\"model\":" + model + ",\"optimizer\":" + optimizer
                + (training == null ? "" : ",\"training\":" + training) + "}";
        return json(name, status, "/api/v1/runs", body);
    }

    private static final String IRIS = "{\"builtin\":\"iris\"}";
    private static final String MODEL = "{\"layers\":[{\"units\":8,\"activation\":\"relu\"},{\"units\":3,\"activation\":\"softmax\"}],\"loss\":\"cross_entropy\"}";
    private static final String ADAM = "{\"type\":\"adam\",\"learningRate\":0.01}";

    static String model(String hidden) {
        return "{\"layers\":[" + hidden + ",{\"units\":3,\"activation\":\"softmax\"}],\"loss\":\"cross_entropy\"}";
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        String ds = "/api/v1/datasets";
        // datasets as JSON
        c.add(json("dataset: truncated JSON", 400, ds, "{\"name\":"));
        c.add(json("dataset: array instead of object", 400, ds, "[]"));
        c.add(json("dataset: name missing", 422, ds, "{\"features\":[[1],[2]],\"labels\":[0,1]}"));
        c.add(json("dataset: features missing", 422, ds, "{\"name\":\"a\",\"labels\":[0,1]}"));
        c.add(json("dataset: features empty", 422, ds, "{\"name\":\"a\",\"features\":[],\"labels\":[]}"));
        c.add(json("dataset: ragged rows", 422, ds, "{\"name\":\"a\",\"features\":[[1,2],[3]],\"labels\":[0,1]}"));
        c.add(json("dataset: string feature", 400, ds, "{\"name\":\"a\",\"features\":[[\"x\"],[2]],\"labels\":[0,1]}"));
        c.add(json("dataset: null feature", 422, ds, "{\"name\":\"a\",\"features\":[[null],[2]],\"labels\":[0,1]}"));
        c.add(json("dataset: NaN token", 400, ds, "{\"name\":\"a\",\"features\":[[NaN],[2]],\"labels\":[0,1]}"));
        c.add(json("dataset: Infinity token", 400, ds, "{\"name\":\"a\",\"features\":[[Infinity],[2]],\"labels\":[0,1]}"));
        c.add(json("dataset: overflowing number", 422, ds, "{\"name\":\"a\",\"features\":[[1e999],[2]],\"labels\":[0,1]}"));
        c.add(json("dataset: beyond float32", 422, ds, "{\"name\":\"a\",\"features\":[[1e39],[2]],\"labels\":[0,1]}"));
        c.add(json("dataset: label count mismatch", 422, ds, "{\"name\":\"a\",\"features\":[[1],[2]],\"labels\":[0]}"));
        c.add(json("dataset: labels missing", 422, ds, "{\"name\":\"a\",\"features\":[[1],[2]]}"));
        c.add(json("dataset: unknown task", 422, ds, "{\"name\":\"a\",\"features\":[[1],[2]],\"labels\":[0,1],\"task\":\"clustering\"}"));
        c.add(json("dataset: unknown field", 400, ds, "{\"name\":\"a\",\"features\":[[1],[2]],\"labels\":[0,1],\"colour\":1}"));
        c.add(json("dataset: one class only", 422, ds, "{\"name\":\"a\",\"features\":[[1],[2]],\"labels\":[\"x\",\"x\"]}"));
        c.add(json("dataset: nested labels of mixed width", 422, ds, "{\"name\":\"a\",\"features\":[[1],[2]],\"labels\":[[0,1],[1]]}"));
        c.add(json("dataset: regression with text labels", 422, ds, "{\"name\":\"a\",\"features\":[[1],[2]],\"labels\":[\"x\",\"y\"],\"task\":\"regression\"}"));
        c.add(new Case("dataset: text/plain body", 415, a -> a.post(ds, "text/plain", "hello".getBytes())));
        // datasets as CSV
        c.add(csv("csv: non-numeric feature column", 422, "a,b,label\n1,x,0\n2,3,1\n"));
        c.add(csv("csv: ragged line", 400, "a,b,label\n1,2,0\n2,3\n"));
        c.add(csv("csv: header only", 400, "a,b,label\n"));
        c.add(csv("csv: unknown label column", 422, "a,b,label\n1,2,0\n2,3,1\n", "label", "target"));
        c.add(csv("csv: empty file", 400, ""));
        c.add(csv("csv: unterminated quote", 400, "a,b,label\n1,\"2,0\n2,3,1\n"));
        c.add(new Case("csv: not UTF-8", 400, a -> a.upload(ds, "x.csv", new byte[] {(byte) 0xff, (byte) 0xfe, 'a', ',', 'b', '\n', (byte) 0xc3, 0x28, ',', '1', '\n'})));
        c.add(csv("csv: NaN cell", 422, "a,b,label\n1,NaN,0\n2,3,1\n"));
        c.add(csv("csv: duplicate header", 400, "a,a,label\n1,2,0\n2,3,1\n"));
        c.add(csv("csv: one column only", 400, "label\n0\n1\n"));
        c.add(csv("csv: empty label cell", 422, "a,b,label\n1,2,\n2,3,1\n"));
        c.add(csv("csv: unknown delimiter", 422, "a:b:label\n1:2:0\n2:3:1\n", "delimiter", ":"));
        c.add(csv("csv: semicolons without their delimiter", 400, "a;b;label\n1;2;0\n2;3;1\n"));
        c.add(csv("csv: every column a label", 422, "a,b\n1,2\n2,3\n", "label", "a,b"));
        c.add(new Case("csv: no file part", 400, a -> a.post(ds, "multipart/form-data; boundary=xyz",
                "--xyz\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nx\r\n--xyz--\r\n".getBytes())));
        c.add(new Case("csv: oversize upload", 413, a -> a.upload(ds, "big.csv", bigCsv(300_000))));
        c.add(new Case("dataset: unknown id", 404, a -> a.get(ds + "/" + UNKNOWN)));
        c.add(new Case("dataset: malformed id", 400, a -> a.get(ds + "/not-a-uuid")));
        c.add(new Case("dataset: delete unknown", 404, a -> a.delete(ds + "/" + UNKNOWN)));
        // runs
        c.add(json("run: truncated JSON", 400, "/api/v1/runs", "{\"dataset\":"));
        c.add(json("run: empty object", 422, "/api/v1/runs", "{}"));
        c.add(run("run: unknown activation", 422, model("{\"units\":8,\"activation\":\"swish\"}"), ADAM, null, IRIS));
        c.add(run("run: zero units", 422, model("{\"units\":0,\"activation\":\"relu\"}"), ADAM, null, IRIS));
        c.add(run("run: negative units", 422, model("{\"units\":-5,\"activation\":\"relu\"}"), ADAM, null, IRIS));
        c.add(run("run: absurd units", 422, model("{\"units\":1000000000,\"activation\":\"relu\"}"), ADAM, null, IRIS));
        c.add(run("run: too many parameters", 422, model("{\"units\":5000,\"activation\":\"relu\"},{\"units\":5000,\"activation\":\"relu\"}"), ADAM, null, IRIS));
        c.add(run("run: units as text", 400, model("{\"units\":\"ten\",\"activation\":\"relu\"}"), ADAM, null, IRIS));
        c.add(run("run: units overflowing int", 400, model("{\"units\":99999999999,\"activation\":\"relu\"}"), ADAM, null, IRIS));
        c.add(run("run: learningRate missing", 422, MODEL, "{\"type\":\"adam\"}", null, IRIS));
        c.add(run("run: negative learningRate", 422, MODEL, "{\"type\":\"adam\",\"learningRate\":-1}", null, IRIS));
        c.add(run("run: NaN learningRate", 400, MODEL, "{\"type\":\"adam\",\"learningRate\":NaN}", null, IRIS));
        c.add(run("run: infinite learningRate", 422, MODEL, "{\"type\":\"adam\",\"learningRate\":1e999}", null, IRIS));
        c.add(run("run: unknown optimizer", 422, MODEL, "{\"type\":\"lbfgs\",\"learningRate\":0.1}", null, IRIS));
        c.add(run("run: negative momentum", 422, MODEL, "{\"type\":\"sgd\",\"learningRate\":0.1,\"momentum\":-0.9}", null, IRIS));
        c.add(run("run: beta1 of 1", 422, MODEL, "{\"type\":\"adam\",\"learningRate\":0.1,\"beta1\":1.0}", null, IRIS));
        c.add(run("run: zero epsilon", 422, MODEL, "{\"type\":\"adam\",\"learningRate\":0.1,\"epsilon\":0}", null, IRIS));
        c.add(run("run: nesterov without momentum", 422, MODEL, "{\"type\":\"sgd\",\"learningRate\":0.1,\"nesterov\":true}", null, IRIS));
        c.add(run("run: zero epochs", 422, MODEL, ADAM, "{\"epochs\":0}", IRIS));
        c.add(run("run: absurd epochs", 422, MODEL, ADAM, "{\"epochs\":100000000}", IRIS));
        c.add(run("run: zero batch size", 422, MODEL, ADAM, "{\"batchSize\":0}", IRIS));
        c.add(run("run: validation split of 1", 422, MODEL, ADAM, "{\"validationSplit\":1.0}", IRIS));
        c.add(run("run: val_loss monitor without a split", 422, MODEL, ADAM, "{\"earlyStopping\":{\"monitor\":\"val_loss\"}}", IRIS));
        c.add(run("run: unknown schedule", 422, MODEL, ADAM, "{\"schedule\":{\"type\":\"cyclic\"}}", IRIS));
        c.add(run("run: unknown loss", 422, "{\"layers\":[{\"units\":3,\"activation\":\"softmax\"}],\"loss\":\"hinge\"}", ADAM, null, IRIS));
        c.add(run("run: softmax on a hidden layer", 422, model("{\"units\":8,\"activation\":\"softmax\"}"), ADAM, null, IRIS));
        c.add(run("run: cross_entropy without softmax", 422, "{\"layers\":[{\"units\":3,\"activation\":\"sigmoid\"}],\"loss\":\"cross_entropy\"}", ADAM, null, IRIS));
        c.add(run("run: output width does not fit", 422, "{\"layers\":[{\"units\":4,\"activation\":\"softmax\"}],\"loss\":\"cross_entropy\"}", ADAM, null, IRIS));
        c.add(run("run: mse on a classification dataset", 422, "{\"layers\":[{\"units\":1,\"activation\":\"linear\"}],\"loss\":\"mse\"}", ADAM, null, IRIS));
        c.add(run("run: unknown built-in", 422, MODEL, ADAM, null, "{\"builtin\":\"mnist\"}"));
        c.add(run("run: unknown dataset id", 422, MODEL, ADAM, null, "{\"id\":\"" + UNKNOWN + "\"}"));
        c.add(run("run: two dataset sources", 422, MODEL, ADAM, null, "{\"id\":\"" + UNKNOWN + "\",\"builtin\":\"iris\"}"));
        c.add(run("run: generator too large", 422, MODEL,
                ADAM, null, "{\"generator\":{\"type\":\"classification\",\"rows\":1000000000,\"features\":1000,\"classes\":3}}"));
        c.add(run("run: unknown generator", 422, MODEL, ADAM, null, "{\"generator\":{\"type\":\"swiss_roll\"}}"));
        c.add(json("run: unknown initial run", 422, "/api/v1/runs", "{\"dataset\":" + IRIS + ",\"model\":" + MODEL
                + ",\"optimizer\":" + ADAM + ",\"initialWeights\":{\"runId\":\"" + UNKNOWN + "\"}}"));
        c.add(json("run: tag key with a colon", 422, "/api/v1/runs", "{\"tags\":{\"a:b\":\"c\"},\"dataset\":" + IRIS
                + ",\"model\":" + MODEL + ",\"optimizer\":" + ADAM + "}"));
        c.add(json("run: unknown field", 400, "/api/v1/runs", "{\"dataset\":" + IRIS + ",\"model\":" + MODEL
                + ",\"optimizer\":{\"type\":\"adam\",\"learningrate\":0.01}}"));
        c.add(run("run: fractional epochs", 400, MODEL, ADAM, "{\"epochs\":1.5}", IRIS));
        c.add(new Case("run: no body", 400, a -> a.post("/api/v1/runs", "application/json", new byte[0])));
        c.add(new Case("run: a gzip-encoded body", 415, a -> a.post("/api/v1/runs", "application/json",
                new byte[] {0x1f, (byte) 0x8b, 8, 0}, "Content-Encoding", "gzip")));
        c.add(new Case("a path nothing serves", 404, a -> a.get("/api/v1/runz")));
        c.add(new Case("run: text/plain body", 415, a -> a.post("/api/v1/runs", "text/plain", "x".getBytes())));
        c.add(new Case("run: unknown id", 404, a -> a.get("/api/v1/runs/" + UNKNOWN)));
        c.add(new Case("run: malformed id", 400, a -> a.get("/api/v1/runs/123")));
        c.add(new Case("run: cancel unknown", 404, a -> a.post("/api/v1/runs/" + UNKNOWN + "/cancel", null, new byte[0])));
        c.add(new Case("run: delete unknown", 404, a -> a.delete("/api/v1/runs/" + UNKNOWN)));
        c.add(new Case("run: list with size 0", 422, a -> a.get("/api/v1/runs?size=0")));
        c.add(new Case("run: list with unknown status", 400, a -> a.get("/api/v1/runs?status=DONE")));
        c.add(new Case("run: list with malformed tag", 422, a -> a.get("/api/v1/runs?tag=nocolon")));
        c.add(new Case("run: list with a query parameter that cannot be decoded", 400, a -> a.rawGet("/api/v1/runs?status=%zz")));
        c.add(new Case("run: list with a parameter that is not UTF-8", 400, a -> a.rawGet("/api/v1/runs?tag=a%C3%28")));
        c.add(new Case("request headers over the 96 KB the server reads", 400, a -> a.rawGet("/api/v1/runs",
                "X-Padding", "x".repeat(128 * 1024))));
        c.add(new Case("a header line that does not parse", 400, a -> a.rawGet("/api/v1/runs", "(request)", "x")));
        c.add(new Case("a path the firewall refuses: ';'", 400, a -> a.rawGet("/api/v1/runs;x=1")));
        c.add(new Case("a path the firewall refuses: '//'", 400, a -> a.rawGet("/api/v1//runs")));
        c.add(new Case("a path the firewall refuses: an encoded '..'", 400, a -> a.rawGet("/api/v1/%2e%2e/runs")));
        c.add(new Case("TRACE", 405, a -> a.send("TRACE", "/api/v1/runs")));
        c.add(new Case("too many query parameters", 400, a -> a.rawGet("/api/v1/runs?"
                + IntStream.range(0, 3000).mapToObj(i -> "p" + i + "=1").collect(Collectors.joining("&")))));
        c.add(new Case("metrics: unknown run", 404, a -> a.get("/api/v1/runs/" + UNKNOWN + "/metrics")));
        c.add(new Case("weights: unknown run", 404, a -> a.get("/api/v1/runs/" + UNKNOWN + "/weights")));
        c.add(new Case("weights: unknown format", 422, a -> a.get("/api/v1/runs/" + UNKNOWN + "/weights?format=pickle")));
        c.add(new Case("predictions: unknown run", 404, a -> a.postJson("/api/v1/runs/" + UNKNOWN + "/predictions",
                "{\"inputs\":[[1,2,3,4]]}")));
        c.add(new Case("weights upload: garbage", 400, a -> a.upload("/api/v1/weights", "w.safetensors", "garbage!!".getBytes())));
        c.add(new Case("weights upload: absurd header length", 400, a -> a.upload("/api/v1/weights", "w.safetensors",
                new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0, '{', '}'})));
        c.add(new Case("weights upload: offsets outside the file", 400, a -> a.upload("/api/v1/weights", "w.safetensors",
                safetensors("{\"layers.0.weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,1600]}}", 16))));
        c.add(new Case("weights upload: unsupported dtype", 400, a -> a.upload("/api/v1/weights", "w.safetensors",
                safetensors("{\"layers.0.weight\":{\"dtype\":\"I8\",\"shape\":[2,2],\"data_offsets\":[0,4]}}", 4))));
        c.add(new Case("weights upload: foreign tensor names", 422, a -> a.upload("/api/v1/weights", "w.safetensors",
                safetensors("{\"fc1.weight\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[0,4]}}", 4))));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersProblemJsonAndStoresNothing(Case c) {
        long[] before = counts();

        Api.Response response = c.call().apply(api);

        Problems.assertProblem(response, c.status(), c.name());
        var problem = response.json();
        if (c.status() == 422 && c.name().startsWith("run:") && !c.name().startsWith("run: list")) {
            assertThat(problem.get("errors").get(0).get("field").asString()).startsWith("$");
        }
        assertThat(counts()).isEqualTo(before);
    }

    /** What the client sent at a field, and what the field takes, in JSON's terms rather than Java's. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("describedCases")
    void aMalformedValueIsDescribedByWhatItsFieldTakes(String field, String body, String detail) {
        Api.Response response = api.postJson("/api/v1/runs", body);

        Problems.assertProblem(response, 400, field);
        assertThat(response.json().get("detail").asString()).isEqualTo(detail);
    }

    static Stream<Arguments> describedCases() {
        String head = "{\"dataset\":" + IRIS + ",\"optimizer\":" + ADAM + ",";
        String spec = head + "\"model\":" + MODEL + ",";
        return Stream.of(
                new String[] {head + "\"model\":" + model("{\"units\":\"ten\",\"activation\":\"relu\"}") + "}",
                        "$.model.layers[0].units: \"ten\" is not an integer"},
                new String[] {head + "\"model\":{\"layers\":{\"units\":3},\"loss\":\"mse\"}}", "$.model.layers: expected an array"},
                new String[] {spec + "\"training\":{\"epochs\":1.5}}", "$.training.epochs: 1.5 is not an integer"},
                new String[] {spec + "\"training\":{\"epochs\":true}}", "$.training.epochs: expected an integer"},
                new String[] {spec + "\"tags\":[1,2]}", "$.tags: expected an object"},
                new String[] {spec + "\"initialWeights\":{\"runId\":\"5\"}}",
                        "$.initialWeights.runId: \"5\" is not a UUID (36 characters, such as 123e4567-e89b-12d3-a456-426614174000)"},
                new String[] {"{\"dataset\":\"iris\"}", "$.dataset: expected an object with the documented fields"},
                new String[] {head + "\"model\":" + model("{\"units\":99999999999,\"activation\":\"relu\"}") + "}",
                        "$.model.layers[0].units: out of range for an integer (at most 2147483647)"})
                .map(c -> Arguments.of(c[1].substring(0, c[1].indexOf(':')), c[0], c[1]));
    }

    private long[] counts() {
        return new long[] {count("dataset"), count("dataset_data"), count("run"), count("weights"),
                count("scheduled_tasks")};
    }

    private long count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Long.class);
    }

    static byte[] bigCsv(int bytes) {
        StringBuilder sb = new StringBuilder("a,b,label\n");
        while (sb.length() < bytes) {
            sb.append("1.2345,2.3456,0\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] safetensors(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + h.length + dataBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }
}

package io.backprop.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The service in its own JVM on a 512 MB heap, sent requests that each ask for far more than it should
 * give: every one is answered within 10 s with a 2xx or a problem+json 4xx, never a 5xx or a dropped
 * connection; the process stays healthy after each; what was refused left nothing stored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileResourcesIT {

    private ServiceProcess service;
    private Api api;
    private final List<String> answered = new ArrayList<>();

    @BeforeAll
    void start() {
        Path dir = ServiceProcess.tempDir("backprop-hostile");
        String url = "jdbc:h2:file:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
        service = ServiceProcess.start(url, dir, "hostile", Map.of("backprop.workers", "1"), "-Xmx512m");
        api = service.api;
    }

    @AfterAll
    void stop() {
        service.close();
    }

    @Test
    void everyOverpricedRequestIsRefusedCheaplyAndTheServiceStaysUp() throws Exception {
        String ds = "/api/v1/datasets";
        // generators priced from their parameters: nothing is generated to find out
        expect("generator of 1 row × 100,000,000 features (dry run)", 422, () -> api.postJson("/api/v1/runs?dryRun=true",
                gen(Map.of("type", "classification", "rows", 1, "features", 100_000_000, "classes", 2), 2)));
        expect("generator rows × classes", 422, () -> api.postJson("/api/v1/runs?dryRun=true",
                gen(Map.of("type", "blobs", "rows", 50_000_000, "features", 1, "classes", 10_000), 10_000)));
        expect("generator class centers", 422, () -> api.postJson("/api/v1/runs?dryRun=true",
                gen(Map.of("type", "classification", "rows", 10, "features", 100_000, "classes", 10_000), 10_000)));
        expect("generator of 2^31-1 rows", 422, () -> api.postJson("/api/v1/runs?dryRun=true",
                gen(Map.of("type", "xor", "rows", Integer.MAX_VALUE), 2)));
        expect("generator of negative features", 422, () -> api.postJson("/api/v1/runs?dryRun=true",
                gen(Map.of("type", "classification", "features", -1), 2)));
        expect("training beyond the memory budget", 422, () -> api.postJson("/api/v1/runs?dryRun=true", Specs.run(
                Map.of("generator", Map.of("type", "classification", "rows", 60_000, "features", 784, "classes", 10)),
                List.of(4096, 4096), 10, "cross_entropy", "softmax", Map.of("type", "adam", "learningRate", 0.001),
                Map.of("epochs", 1, "batchSize", 60_000))));

        // bodies held to their limit whether declared or chunked
        expect("300 MB JSON dataset sent chunked", 413, () -> raw(ds, -1, 300L << 20));
        expect("JSON dataset declaring 1 GB", 413, () -> raw(ds, 1L << 30, 4096));
        expect("CSV upload of 150 MB", 413, () -> api.upload(ds, "big.csv", new byte[150 << 20]));
        expect("JSON row of 200,000 features", 422, () -> api.postJson(ds, "{\"name\":\"w\",\"features\":[["
                + "0,".repeat(199_999) + "0]],\"labels\":[0]}"));
        expect("JSON labels of 20,000 classes", 422, () -> api.postJson(ds, jsonDataset(20_000, i -> "\"c" + i + "\"")));
        expect("JSON label of 300 characters", 422, () -> api.postJson(ds, jsonDataset(2, i -> "\"" + "x".repeat(300 * i + 1) + "\"")));
        expect("JSON nested 100,000 deep", 400, () -> api.postJson(ds, "[".repeat(100_000)));
        expect("JSON number of 3 MB of digits", 400, () -> api.postJson(ds, "{\"name\":\"n\",\"features\":[["
                + "9".repeat(3 << 20) + "]],\"labels\":[0]}"));
        expect("dataset name of 5 MB", 422, () -> api.postJson(ds, "{\"name\":\"" + "n".repeat(5 << 20)
                + "\",\"features\":[[0],[1]],\"labels\":[0,1]}"));
        expect("a legitimate JSON dataset of 400,000 rows", 201, () -> api.postJson(ds, jsonDataset(400_000, i -> Integer.toString(i % 2))));

        // CSV priced from its header and its cells before the table is allocated
        expect("CSV header of 2,000,000 columns", 422, () -> csv(header(2_000_000) + "\n"));
        expect("CSV header of 200,000 columns", 422, () -> csv(header(200_000).replace("column", "c") + "\n"));
        expect("CSV label 1e2000000000", 201, () -> csv("x,label\n1,1\n2,2\n3,1e2000000000\n"));
        expect("CSV label of 3 MB of digits", 422, () -> csv("x,label\n1,1\n2," + "7".repeat(3 << 20) + "\n"));
        expect("CSV cell of 5,000 characters", 422, () -> csv("x,label\n" + "1".repeat(5000) + ",1\n2,0\n"));
        expect("CSV of 25,000 classes", 422, () -> csv("x,label\n" + lines(25_000, i -> i + ",c" + i)));
        expect("CSV line of 9 MB", 422, () -> csv("x,label\n1,\"" + "a".repeat(9 << 20) + "\"\n"));
        expect("CSV that is not UTF-8", 400, () -> api.upload(ds, "bin.csv", new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1}));

        // run specs: every size named in the request is bounded
        String iris = "{\"builtin\":\"iris\"}";
        String model = "{\"layers\":[{\"units\":4,\"activation\":\"relu\"},{\"units\":3,\"activation\":\"softmax\"}],\"loss\":\"cross_entropy\"}";
        String adam = "{\"type\":\"adam\",\"learningRate\":0.01}";
        expect("Idempotency-Key of 64 KB", 422, () -> api.post("/api/v1/runs", "application/json",
                ("{\"dataset\":" + iris + ",\"model\":" + model + ",\"optimizer\":" + adam + "}").getBytes(StandardCharsets.UTF_8),
                "Idempotency-Key", "k".repeat(64 * 1024)));
        expect("run name of 10,000 characters", 422, () -> api.postJson("/api/v1/runs", "{\"name\":\"" + "r".repeat(10_000)
                + "\",\"dataset\":" + iris + ",\"model\":" + model + ",\"optimizer\":" + adam + "}"));
        expect("5,000 tags", 422, () -> api.postJson("/api/v1/runs", "{\"tags\":{" + lines(5000, i -> "\"k" + i + "\":\"v\"")
                .replace("\n", ",").replaceAll(",$", "") + "},\"dataset\":" + iris + ",\"model\":" + model + ",\"optimizer\":" + adam + "}"));
        // Jackson's own name-length limit refuses it while parsing
        expect("tag key of 1 MB", 400, () -> api.postJson("/api/v1/runs", "{\"tags\":{\"" + "t".repeat(1 << 20)
                + "\":\"v\"},\"dataset\":" + iris + ",\"model\":" + model + ",\"optimizer\":" + adam + "}"));
        expect("101 layers", 422, () -> api.postJson("/api/v1/runs", "{\"dataset\":" + iris + ",\"model\":{\"layers\":["
                + "{\"units\":4,\"activation\":\"relu\"},".repeat(100) + "{\"units\":3,\"activation\":\"softmax\"}],"
                + "\"loss\":\"cross_entropy\"},\"optimizer\":" + adam + "}"));
        expect("a layer of 2,000,000 units", 422, () -> api.postJson("/api/v1/runs", "{\"dataset\":" + iris
                + ",\"model\":{\"layers\":[{\"units\":2000000,\"activation\":\"relu\"},{\"units\":3,\"activation\":\"softmax\"}],"
                + "\"loss\":\"cross_entropy\"},\"optimizer\":" + adam + "}"));
        expect("10^10 parameters", 422, () -> api.postJson("/api/v1/runs", "{\"dataset\":" + iris
                + ",\"model\":{\"layers\":[{\"units\":100000,\"activation\":\"relu\"},{\"units\":100000,\"activation\":\"relu\"},"
                + "{\"units\":3,\"activation\":\"softmax\"}],\"loss\":\"cross_entropy\"},\"optimizer\":" + adam + "}"));
        expect("a billion epochs", 422, () -> api.postJson("/api/v1/runs", "{\"dataset\":" + iris + ",\"model\":" + model
                + ",\"optimizer\":" + adam + ",\"training\":{\"epochs\":1000000000}}"));
        expect("a batch of a billion", 422, () -> api.postJson("/api/v1/runs", "{\"dataset\":" + iris + ",\"model\":" + model
                + ",\"optimizer\":" + adam + ",\"training\":{\"batchSize\":1000000000}}"));
        expect("page size of a million", 422, () -> api.get("/api/v1/runs?size=1000000"));
        expect("page 2^31-1", 422, () -> api.get("/api/v1/runs?page=2147483647&size=500"));
        expect("dataset page 2^31-1", 422, () -> api.get("/api/v1/datasets?page=2147483647"));

        // safetensors: a hostile file is checked before anything is sized from it
        String up = "/api/v1/weights";
        expect("safetensors header length 2^62", 400, () -> api.upload(up, "w.safetensors",
                ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 62).array()));
        expect("safetensors with 5,000 tensors", 400, () -> api.upload(up, "w.safetensors", safetensors(
                lines(5000, i -> "\"layers." + i + ".bias\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}")
                        .replace("\n", ",").replaceAll(",$", ""), 0)));
        expect("safetensors shape of 2.5", 400, () -> api.upload(up, "w.safetensors", safetensors(
                "\"layers.0.bias\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}", 8)));
        expect("safetensors duplicate names", 400, () -> api.upload(up, "w.safetensors", safetensors(
                "\"layers.0.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"layers.0.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}", 8)));
        expect("safetensors overlapping tensors", 400, () -> api.upload(up, "w.safetensors", safetensors(
                "\"layers.0.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"layers.1.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}", 12)));
        expect("safetensors of 2^62 values", 400, () -> api.upload(up, "w.safetensors", safetensors(
                "\"layers.0.weight\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647],\"data_offsets\":[0,8]}", 8)));

        // predictions priced as rows × the widest layer. Three 5M-parameter models stored one after the
        // other: their weights and checkpoints kept inside H2's rows once made it ask for a 100 MB write
        // buffer at a commit, and on this heap H2 then closed the database for every request
        String wide = null;
        for (int seed = 1; seed <= 3; seed++) {
            String id = api.postJson("/api/v1/runs", Specs.run(Map.of("generator", Map.of("type", "xor", "rows", 8)),
                    List.of(1_000_000), 2, "cross_entropy", "softmax", Map.of("type", "sgd", "learningRate", 0.01),
                    Map.of("epochs", 1, "batchSize", 8, "seed", seed))).json().get("id").asString();
            await().atMost(Duration.ofSeconds(120)).until(() -> Runs.status(api, id).equals("SUCCEEDED"));
            expect("one row through wide model " + seed, 200, () -> api.postJson("/api/v1/runs/" + id + "/predictions",
                    "{\"inputs\":[[0,1]]}"));
            wide = id;
        }
        String predict = "/api/v1/runs/" + wide + "/predictions";
        expect("2,000 rows through a 1,000,000-unit layer", 422, () -> api.postJson(predict,
                "{\"inputs\":[" + "[0.5,0.5],".repeat(1999) + "[0.5,0.5]]}"));
        expect("20,000 prediction rows", 422, () -> api.postJson(predict, "{\"inputs\":[" + "[0,1],".repeat(19_999) + "[0,1]]}"));
        expect("prediction rows of the wrong width", 422, () -> api.postJson(predict, "{\"inputs\":[[1,2,3]]}"));
        expect("one row through the wide model", 200, () -> api.postJson(predict, "{\"inputs\":[[0,1]]}"));
        String history = "/api/v1/runs/" + wide + "/metrics?granularity=step&limit=1000000000";
        expect("step history of a billion rows", 422, () -> api.get(history));

        // requests priced against the heap they may hold together: many large batches at once are served
        // in turn or refused with 503, where they ran the heap out and answered 500s
        String mnist = api.postJson("/api/v1/runs", Specs.run(Map.of("generator", Map.of("type", "classification",
                        "rows", 500, "features", 784, "classes", 10, "seed", 3)), List.of(128), 10, "cross_entropy",
                "softmax", Map.of("type", "sgd", "learningRate", 0.01), Map.of("epochs", 1, "batchSize", 50, "seed", 1)))
                .json().get("id").asString();
        await().atMost(Duration.ofSeconds(120)).until(() -> Runs.status(api, mnist).equals("SUCCEEDED"));
        byte[] rows = new byte[5000 * 784 * 4];
        ExecutorService clients = Executors.newFixedThreadPool(12);
        try {
            List<Future<Api.Response>> burst = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                burst.add(clients.submit(() -> api.post("/api/v1/runs/" + mnist + "/predictions", "application/octet-stream", rows)));
            }
            int served = 0;
            for (Future<Api.Response> f : burst) {
                Api.Response r = f.get(60, TimeUnit.SECONDS);
                assertThat(r.status()).as("12 batches of 15.7 MB at once: " + r.text()).isIn(200, 503);
                served += r.status() == 200 ? 1 : 0;
                if (r.status() == 503) {
                    Problems.assertProblem(r, 503, "a batch that found the request memory in use");
                    assertThat(r.header("Retry-After")).isNotNull();
                }
            }
            assertThat(served).as("batches served").isPositive();
        } finally {
            clients.shutdownNow();
        }
        assertThat(api.get("/actuator/health").status()).as("health after the burst").isEqualTo(200);

        assertThat(answered).hasSizeGreaterThanOrEqualTo(40);
        // nothing half-stored: the two datasets and the four runs that were accepted, nothing else
        assertThat(api.get("/api/v1/datasets").json().get("totalElements").asInt()).isEqualTo(2);
        assertThat(api.get("/api/v1/runs").json().get("totalElements").asInt()).isEqualTo(4);
    }

    private void expect(String what, int status, Supplier<Api.Response> call) {
        long start = System.nanoTime();
        Api.Response r = call.get();
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.status()).as(what + ": " + r.text()).isEqualTo(status);
        assertThat(ms).as(what + " answered within 10 s").isLessThan(10_000);
        if (status >= 400) {
            assertThat(r.contentType()).as(what).startsWith("application/problem+json");
        }
        assertThat(api.get("/actuator/health").status()).as("health after " + what).isEqualTo(200);
        answered.add(what);
    }

    private static Map<String, Object> gen(Map<String, Object> generator, int classes) {
        return Specs.run(Map.of("generator", generator), List.of(4), classes, "cross_entropy", "softmax",
                Map.of("type", "adam", "learningRate", 0.01), Map.of("epochs", 1));
    }

    private Api.Response csv(String content) {
        return api.upload("/api/v1/datasets", "data.csv", content.getBytes(StandardCharsets.UTF_8));
    }

    private static String header(int columns) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < columns; i++) {
            b.append(i == 0 ? "" : ",").append("column").append(i);
        }
        return b.toString();
    }

    private static String lines(int n, java.util.function.IntFunction<String> line) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(line.apply(i)).append('\n');
        }
        return b.toString();
    }

    private static String jsonDataset(int rows, java.util.function.IntFunction<String> label) {
        StringBuilder b = new StringBuilder("{\"name\":\"j\",\"features\":[");
        for (int i = 0; i < rows; i++) {
            b.append(i == 0 ? "" : ",").append('[').append(i % 7).append(']');
        }
        b.append("],\"labels\":[");
        for (int i = 0; i < rows; i++) {
            b.append(i == 0 ? "" : ",").append(label.apply(i));
        }
        return b.append("]}").toString();
    }

    private static byte[] safetensors(String tensors, int dataBytes) {
        byte[] header = ("{" + tensors + "}").getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        return b.array();
    }

    /**
     * A JSON POST over a plain socket: with {@code declared} < 0 the body is sent chunked (no length),
     * else that Content-Length is declared; {@code send} bytes of an endless dataset are written from
     * another thread while this one reads the answer, as a client that reads early responses does.
     */
    private Api.Response raw(String path, long declared, long send) {
        try (Socket socket = new Socket("127.0.0.1", service.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            String head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Authorization: " + service.api.authorization() + "\r\n"
                    + (declared < 0 ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + declared + "\r\n") + "\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread writer = new Thread(() -> {
                byte[] chunk = ("[0],".repeat(16 * 1024)).getBytes(StandardCharsets.US_ASCII);
                try {
                    byte[] first = "{\"name\":\"big\",\"features\":[".getBytes(StandardCharsets.US_ASCII);
                    write(out, first, declared < 0);
                    for (long sent = first.length; sent < send; sent += chunk.length) {
                        write(out, chunk, declared < 0);
                    }
                } catch (IOException serverStoppedReading) {
                    // expected once the server has answered
                }
            });
            writer.setDaemon(true);
            writer.start();
            InputStream in = socket.getInputStream();
            StringBuilder head2 = new StringBuilder();
            while (!head2.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                head2.append((char) c);
            }
            String response = head2.toString();
            int status = Integer.parseInt(response.substring(9, 12));
            String type = response.lines().filter(l -> l.toLowerCase().startsWith("content-type:"))
                    .map(l -> l.substring(13).trim()).findFirst().orElse("");
            return new Api.Response(status, type, response.getBytes(StandardCharsets.ISO_8859_1), null);
        } catch (IOException e) {
            throw new IllegalStateException("the connection was dropped instead of answered", e);
        }
    }

    private static void write(OutputStream out, byte[] data, boolean chunked) throws IOException {
        if (chunked) {
            out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(data);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            out.write(data);
        }
    }
}

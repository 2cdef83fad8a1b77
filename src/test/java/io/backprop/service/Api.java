package io.backprop.service;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for the service on its random port, as a user's script would talk to it. */
public final class Api {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    /** The admin key of tenant 'default' that every test service is started with (backprop.security.admin-key). */
    public static final String ADMIN_KEY = "test-admin-key-0123456789abcdefghijklmnop";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String key;

    /** A client that authenticates as the admin of tenant 'default'. */
    public Api(int port) {
        this("http://localhost:" + port, ADMIN_KEY);
    }

    private Api(String base, String key) {
        this.base = base;
        this.key = key;
    }

    /** The same service, as the holder of another key; null sends no Authorization header. */
    public Api as(String otherKey) {
        return new Api(base, otherKey);
    }

    /** The Authorization header value this client sends, or null. */
    public String authorization() {
        return key == null ? null : "Bearer " + key;
    }

    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return b;
    }

    public Response send(String method, String path, String... headers) {
        HttpRequest.Builder b = request(path).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    /**
     * A GET written to the socket byte for byte, for requests {@link HttpClient} refuses to send (a query
     * with a malformed %-escape, an oversized header); HTTP/1.0, so the answer ends when the connection does.
     */
    public Response rawGet(String pathAndQuery, String... headers) {
        URI server = URI.create(base);
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(10_000);
            StringBuilder head = new StringBuilder("GET " + pathAndQuery + " HTTP/1.0\r\nHost: localhost\r\n");
            if (key != null) {
                head.append("Authorization: Bearer ").append(key).append("\r\n");
            }
            for (int i = 0; i < headers.length; i += 2) {
                head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            socket.getOutputStream().write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            byte[] all = socket.getInputStream().readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String type = text.substring(0, end).lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-type:"))
                    .map(l -> l.substring(13).trim()).findFirst().orElse("");
            return new Response(Integer.parseInt(text.substring(9, 12)), type,
                    Arrays.copyOfRange(all, end + 4, all.length), null);
        } catch (IOException e) {
            throw new IllegalStateException("the connection was dropped instead of answered", e);
        }
    }

    public record Response(int status, String contentType, byte[] body, HttpResponse<byte[]> raw) {
        public JsonNode json() {
            return JSON.readTree(new String(body, StandardCharsets.UTF_8));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public Response get(String path) {
        return send(request(path).GET().build());
    }

    public Response get(String path, String accept) {
        return send(request(path).header("Accept", accept).GET().build());
    }

    public Response postJson(String path, Object body) {
        String text = body instanceof String s ? s : JSON.writeValueAsString(body);
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text)).build());
    }

    public Response post(String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder b = request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    public Response delete(String path) {
        return send(request(path).DELETE().build());
    }

    /** multipart/form-data with one file part and text fields (name, value pairs). */
    public Response upload(String path, String fileName, byte[] content, String... fields) {
        String boundary = "----backprop" + UUID.randomUUID();
        StringBuilder head = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(fields[i])
                    .append("\"\r\n\r\n").append(fields[i + 1]).append("\r\n");
        }
        head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
                .append(fileName).append("\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        byte[] start = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] end = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[start.length + content.length + end.length];
        System.arraycopy(start, 0, body, 0, start.length);
        System.arraycopy(content, 0, body, start.length, content.length);
        System.arraycopy(end, 0, body, start.length + content.length, end.length);
        return post(path, "multipart/form-data; boundary=" + boundary, body);
    }

    public Response uploadFile(String path, Path file, String... fields) {
        try {
            return upload(path, file.getFileName().toString(), Files.readAllBytes(file), fields);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String path) {
        return URI.create(base + path);
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<byte[]> r = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package io.backprop.service;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/** A Server-Sent Events client as a browser's fetch would read a stream: events parsed off the wire, one at a time. */
final class SseClient implements AutoCloseable {

    /** One event; {@code name} is "message" when the event named none. */
    record Event(String name, String id, String data) {
        JsonNode json() {
            return Api.JSON.readTree(data);
        }
    }

    /** Put on the queue when the server closes the stream. */
    static final Event END = new Event("end", null, null);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final InputStream body;
    private Thread reader;
    final int status;
    final String contentType;

    private SseClient(HttpResponse<InputStream> response) {
        this.status = response.statusCode();
        this.contentType = response.headers().firstValue("Content-Type").orElse("");
        this.body = response.body();
    }

    static SseClient open(Api api, String path, String... headers) {
        HttpRequest.Builder b = api.request(path).header("Accept", "text/event-stream").GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return new SseClient(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String name = null;
            String id = null;
            StringBuilder data = null;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(name == null ? "message" : name, id, data.toString()));
                    }
                    name = null;
                    id = null;
                    data = null;
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    String part = line.substring(5);
                    part = part.startsWith(" ") ? part.substring(1) : part;
                    data = data == null ? new StringBuilder(part) : data.append('\n').append(part);
                }
            }
        } catch (IOException closed) {
            // closed by us or the server: the end of the stream either way
        }
        events.add(END);
    }

    /**
     * The next event, or {@link #END} once the stream has closed; fails after {@code within}. The stream is
     * read from the first call on: until then what the server sends waits in the socket's buffers, as it
     * would for a client on another machine that reads later, and costs this machine nothing.
     */
    Event next(Duration within) {
        synchronized (this) {
            if (reader == null) {
                reader = new Thread(this::read, "sse-client");
                reader.setDaemon(true);
                reader.start();
            }
        }
        try {
            Event e = events.poll(within.toMillis(), TimeUnit.MILLISECONDS);
            if (e == null) {
                throw new AssertionError("no event within " + within);
            }
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}

package io.backprop.service;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The service as its own JVM, so tests can kill it for real (SIGKILL) or stop it as an orchestrator
 * does (SIGTERM). It runs from the test classpath with the Vector API module, like the product.
 */
final class ServiceProcess implements AutoCloseable {

    private final Process process;
    final int port;
    final Api api;
    final Path log;

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.api = new Api(port);
        this.log = log;
    }

    static ServiceProcess start(String datasourceUrl, Path logDir, String name, Map<String, String> properties) {
        return start(datasourceUrl, logDir, name, properties, "-Xmx1g");
    }

    /** @param heap the heap option, e.g. {@code -Xmx512m} */
    static ServiceProcess start(String datasourceUrl, Path logDir, String name, Map<String, String> properties,
                                String heap) {
        int port = freePort();
        List<String> command = new ArrayList<>(io.backprop.core.TestJvm.command(heap));
        command.addAll(List.of(
                "io.backprop.BackpropApplication",
                "--server.port=" + port,
                "--spring.datasource.url=" + datasourceUrl));
        // fast takeovers by default; a test's own properties replace these
        Map<String, String> all = new java.util.LinkedHashMap<>(Map.of(
                "backprop.scheduler.polling-interval", "300ms",
                "backprop.scheduler.heartbeat-interval", "1s",
                "backprop.scheduler.missed-heartbeats-limit", "4",
                "backprop.cancel-poll-interval", "300ms",
                "backprop.security.admin-key", Api.ADMIN_KEY));
        if (datasourceUrl.startsWith("jdbc:postgresql")) {
            all.put("spring.datasource.username", "postgres");
            all.put("spring.datasource.password", "");
        }
        all.putAll(properties);
        all.forEach((k, v) -> command.add("--" + k + "=" + v));
        Path log = logDir.resolve(name + ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            ServiceProcess service = new ServiceProcess(p, port, log);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
                if (!p.isAlive()) {
                    throw new IllegalStateException("service " + name + " exited; see " + log);
                }
                try {
                    return service.api.as(null).get("/actuator/health").status() == 200;
                } catch (IllegalStateException notYet) {
                    return false;
                }
            });
            return service;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** kill -STOP: the process freezes as a VM pause or a long GC would freeze it. */
    void freeze() {
        signal("STOP");
    }

    /** kill -CONT: it wakes up and carries on as if nothing had happened. */
    void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            if (new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** kill -9: no shutdown hook, no checkpoint, no release. */
    void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** kill -15: Spring's graceful shutdown. */
    void terminate() {
        process.destroy();
        waitFor();
    }

    private void waitFor() {
        try {
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            waitFor();
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path tempDir(String prefix) {
        try {
            File dir = java.nio.file.Files.createTempDirectory(prefix).toFile();
            return dir.toPath();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

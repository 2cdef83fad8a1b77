package io.backprop.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL cluster of the test's own, which it may stop, restart or freeze without touching the
 * machine's shared server: {@code initdb} into a temporary directory as the {@code postgres} OS user
 * (PostgreSQL refuses to run as root), {@code pg_ctl} on a free port, trust authentication, Debian's
 * server binaries. Without them the test is skipped, unless {@code BACKPROP_REQUIRE_POSTGRES=true}.
 */
final class PrivatePostgres implements AutoCloseable {

    private final Path bin;
    private final Path dir;
    final int port;

    private PrivatePostgres(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    static PrivatePostgres start() {
        Path bin = serverBinaries();
        if (bin == null) {
            String why = "no PostgreSQL server binaries under /usr/lib/postgresql";
            if (Boolean.parseBoolean(System.getenv("BACKPROP_REQUIRE_POSTGRES"))) {
                Assertions.fail(why + "; BACKPROP_REQUIRE_POSTGRES=true makes this a failure");
            }
            Assumptions.abort(why);
        }
        try {
            Path dir = Files.createTempDirectory("backprop-pg");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            PrivatePostgres pg = new PrivatePostgres(bin, dir, ServiceProcess.freePort());
            pg.run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres",
                    "-A", "trust", "--no-sync", "-E", "UTF8"));
            pg.startServer();
            return pg;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** Starts (or restarts) the server and waits until it accepts connections. */
    void startServer() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
    }

    /** A fast shutdown: open connections are cut, as when a database server goes away. */
    void stopServer() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w",
                "stop"));
    }

    @Override
    public void close() {
        try {
            stopServer();
        } catch (RuntimeException alreadyStopped) {
            // nothing to stop
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory is harmless
        }
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("ctl.log").toFile()).start();
            if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: "
                        + Files.readString(dir.resolve("ctl.log")));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path serverBinaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (var versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(Path::toString)).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }
}

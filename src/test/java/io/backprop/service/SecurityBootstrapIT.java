package io.backprop.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a fresh installation gets its first key, as a separate JVM: the first start on an empty database
 * writes a generated admin key to a file only its owner can read and logs the file, not the key; a
 * restart keeps it; {@code backprop.security.enabled=false} opens everything with a warning.
 */
class SecurityBootstrapIT {

    @Test
    void theFirstStartWritesAnAdminKeyFileAndLaterStartsKeepIt(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
        Path keyFile = dir.resolve("secrets").resolve("admin-key");
        Map<String, String> noConfiguredKey = Map.of("backprop.security.admin-key", "",
                "backprop.security.admin-key-file", keyFile.toString(), "backprop.workers", "1");
        String key;
        try (ServiceProcess first = ServiceProcess.start(url, dir, "first", noConfiguredKey)) {
            assertThat(keyFile).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
            key = Files.readString(keyFile).strip();
            assertThat(key).startsWith("bp_").hasSizeGreaterThanOrEqualTo(58);
            String log = Files.readString(first.log);
            assertThat(log).contains(keyFile.toString()).doesNotContain(key).doesNotContain(key.substring(16));
            assertThat(first.api.as(key).get("/api/v1/tenants").status()).isEqualTo(200);
            assertThat(first.api.as(null).get("/api/v1/runs").status()).isEqualTo(401);
        }
        try (ServiceProcess second = ServiceProcess.start(url, dir, "second", noConfiguredKey)) {
            assertThat(Files.readString(keyFile).strip()).as("not regenerated").isEqualTo(key);
            assertThat(second.api.as(key).get("/api/v1/runs").status()).isEqualTo(200);
        }
        try (ServiceProcess open = ServiceProcess.start(url, dir, "open",
                Map.of("backprop.security.enabled", "false", "backprop.workers", "1"))) {
            assertThat(Files.readString(open.log)).contains("WARN").contains("backprop.security.enabled=false");
            assertThat(open.api.as(null).get("/api/v1/runs").status()).isEqualTo(200);
            assertThat(open.api.as(null).get("/actuator/prometheus").status()).isEqualTo(200);
        }
    }
}

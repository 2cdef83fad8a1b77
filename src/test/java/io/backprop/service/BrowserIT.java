package io.backprop.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The web UI in headless Chromium (Debian's package) driven by Playwright: src/test/ui/ui.test.mjs
 * under node's test runner, against the service in its own JVM. Without chromium or node_modules it is
 * skipped, unless {@code BACKPROP_REQUIRE_BROWSER=true} (CI sets it) makes that a failure.
 */
class BrowserIT {

    @Test
    void theWebUiPassesItsBrowserTests() throws Exception {
        Process which = new ProcessBuilder("sh", "-c", "command -v chromium").start();
        String chromium = new String(which.getInputStream().readAllBytes()).strip();
        boolean ready = which.waitFor() == 0 && Files.exists(Path.of(".ci", "node_modules", "playwright-core"));
        if (!ready) {
            String why = "chromium (apt-get install chromium) or playwright-core (npm ci --prefix .ci) is missing";
            if (Boolean.parseBoolean(System.getenv("BACKPROP_REQUIRE_BROWSER"))) {
                Assertions.fail(why + "; BACKPROP_REQUIRE_BROWSER=true makes this a failure");
            }
            Assumptions.abort(why);
        }
        Path dir = ServiceProcess.tempDir("backprop-ui");
        String url = "jdbc:h2:file:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        try (ServiceProcess service = ServiceProcess.start(url, dir, "ui", Map.of("backprop.workers", "2"))) {
            Path log = Path.of("target", "browser-tests.log");
            ProcessBuilder node = new ProcessBuilder("node", "--test", "--test-reporter=spec", "src/test/ui/ui.test.mjs")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).directory(new File("."));
            node.environment().putAll(Map.of("BASE_URL", "http://localhost:" + service.port,
                    "API_KEY", Api.ADMIN_KEY, "CHROMIUM", chromium, "SCREENSHOTS", "target/ui-screenshots"));
            Process tests = node.start();
            boolean finished = tests.waitFor(5, TimeUnit.MINUTES);
            String output = Files.readString(log);
            // the runner's summary, in Maven's log
            List<String> summary = output.lines().filter(l -> l.matches("^. (tests|pass|fail|cancelled|skipped|duration_ms) .*"))
                    .map(l -> l.substring(2)).toList();
            System.out.println("browser tests (src/test/ui/ui.test.mjs): " + String.join(", ", summary));
            assertThat(finished).as("the browser tests finished").isTrue();
            assertThat(tests.exitValue()).as(output).isZero();
        }
    }
}

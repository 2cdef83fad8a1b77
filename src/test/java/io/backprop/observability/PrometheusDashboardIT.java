package io.backprop.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar scraped by a real Prometheus (Debian's package) while a run trains; every PromQL
 * expression of the Grafana dashboard must return a series (.ci/prometheus-check.sh does the work).
 * Runs after {@code package}, so the jar exists. Without Prometheus it is skipped, unless
 * {@code BACKPROP_REQUIRE_PROMETHEUS=true} (CI sets it) makes that a failure.
 */
class PrometheusDashboardIT {

    @Test
    void everyDashboardQueryReturnsASeriesFromARealPrometheus() throws Exception {
        boolean installed = new ProcessBuilder("sh", "-c", "command -v prometheus && command -v promtool")
                .start().waitFor() == 0;
        if (!installed) {
            String why = "prometheus and promtool are not installed (apt-get install prometheus)";
            if (Boolean.parseBoolean(System.getenv("BACKPROP_REQUIRE_PROMETHEUS"))) {
                Assertions.fail(why + "; BACKPROP_REQUIRE_PROMETHEUS=true makes this a failure");
            }
            Assumptions.abort(why);
        }
        Path log = Path.of("target", "prometheus-check.log");
        Process check = new ProcessBuilder("bash", ".ci/prometheus-check.sh").redirectErrorStream(true)
                .redirectOutput(log.toFile()).directory(new File(".")).start();
        assertThat(check.waitFor(5, TimeUnit.MINUTES)).as("the check finished").isTrue();
        assertThat(check.exitValue()).as(Files.readString(log)).isZero();
    }
}

package io.backprop.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every metric the README documents is on /actuator/prometheus with its type and labels. */
class MetricsEndpointTest extends ServiceTestBase {

    /** name, Prometheus type, labels every sample carries (besides application). */
    record Documented(String name, String type, Set<String> labels) {
    }

    static final List<Documented> DOCUMENTED = List.of(
            new Documented("backprop_runs_submitted_total", "counter", Set.of()),
            new Documented("backprop_runs_finished_total", "counter", Set.of("outcome")),
            new Documented("backprop_runs", "gauge", Set.of("status")),
            new Documented("backprop_run_queued_seconds", "histogram", Set.of()),
            new Documented("backprop_run_duration_seconds", "histogram", Set.of("outcome")),
            new Documented("backprop_samples_trained_total", "counter", Set.of("run_id", "run_name", "tenant")),
            new Documented("backprop_epoch_duration_seconds", "histogram", Set.of()),
            new Documented("backprop_step_duration_seconds", "histogram", Set.of()),
            new Documented("backprop_run_epoch", "gauge", Set.of("run_id", "run_name", "tenant")),
            new Documented("backprop_run_loss", "gauge", Set.of("run_id", "run_name", "tenant")),
            new Documented("backprop_run_val_loss", "gauge", Set.of("run_id", "run_name", "tenant")),
            new Documented("backprop_run_accuracy", "gauge", Set.of("run_id", "run_name", "tenant")),
            new Documented("backprop_run_progress", "gauge", Set.of("run_id", "run_name", "tenant")),
            new Documented("backprop_workers_busy", "gauge", Set.of()),
            new Documented("backprop_workers", "gauge", Set.of()),
            new Documented("backprop_checkpoints_written_bytes_total", "counter", Set.of()),
            new Documented("backprop_weights_written_bytes_total", "counter", Set.of()),
            new Documented("backprop_studies", "gauge", Set.of("status")),
            new Documented("backprop_trials_pruned_total", "counter", Set.of()),
            new Documented("backprop_request_memory_budget_bytes", "gauge", Set.of()),
            new Documented("backprop_request_memory_reserved_bytes", "gauge", Set.of()),
            new Documented("backprop_request_memory_refused_total", "counter", Set.of()));

    static final Set<String> PER_RUN = Set.of("backprop_samples_trained_total", "backprop_run_epoch",
            "backprop_run_loss", "backprop_run_val_loss", "backprop_run_accuracy", "backprop_run_progress");


    @Test
    void everyDocumentedMetricIsExposedWhileARunTrainsAndPerRunSeriesVanishAfterwards() {
        String quick = api.postJson("/api/v1/runs", Specs.classifier(Specs.builtin("iris"), 3, 2, 16)).json()
                .get("id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> Runs.status(api, quick).equals("SUCCEEDED"));
        String id = api.postJson("/api/v1/runs", Runs.longRun("observed", 400)).json().get("id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/runs/" + id + "/metrics").json().size() >= 1);

        Scrape scrape = Scrape.of(api.get("/actuator/prometheus").text());
        for (Documented d : DOCUMENTED) {
            assertThat(scrape.types).as(d.name()).containsEntry(d.name(), d.type());
            String sample = d.type().equals("histogram") ? d.name() + "_bucket" : d.name();
            assertThat(scrape.labels.get(sample)).as("labels of %s", sample).isNotNull();
            assertThat(scrape.labels.get(sample)).containsAll(d.labels()).contains("application");
        }
        assertThat(scrape.text).contains("backprop_run_loss{application=\"backprop\",run_id=\"" + id + "\",run_name=\"observed\",tenant=\"default\"}");
        assertThat(value(scrape.text, "backprop_runs{application=\"backprop\",status=\"running\"}")).isGreaterThanOrEqualTo(1.0);
        assertThat(scrape.text).contains("jvm_memory_used_bytes", "http_server_requests_seconds", "hikaricp_connections");

        String cancelled = "backprop_runs_finished_total{application=\"backprop\",outcome=\"cancelled\"}";
        double cancelledBefore = value(scrape.text, cancelled);
        api.post("/api/v1/runs/" + id + "/cancel", null, new byte[0]);
        await().atMost(Duration.ofSeconds(30)).until(() -> Runs.status(api, id).equals("CANCELLED"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            String after = api.get("/actuator/prometheus").text();
            for (String name : PER_RUN) {
                assertThat(after).doesNotContain(name + "{");
            }
        });
        assertThat(value(api.get("/actuator/prometheus").text(), cancelled)).isEqualTo(cancelledBefore + 1);
    }

    private static double value(String exposition, String sample) {
        return exposition.lines().filter(l -> l.startsWith(sample + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(sample.length() + 1).trim())).orElseThrow();
    }

    /** The exposition format: TYPE lines and the label names of each sample name. */
    record Scrape(String text, Map<String, String> types, Map<String, Set<String>> labels) {
        private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$", Pattern.MULTILINE);
        private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}", Pattern.MULTILINE);
        private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

        static Scrape of(String text) {
            Map<String, String> types = new HashMap<>();
            Matcher t = TYPE.matcher(text);
            while (t.find()) {
                types.put(t.group(1), t.group(2));
            }
            Map<String, Set<String>> labels = new HashMap<>();
            Matcher s = SAMPLE.matcher(text);
            while (s.find()) {
                Set<String> names = new HashSet<>();
                Matcher l = LABEL.matcher(s.group(2));
                while (l.find()) {
                    names.add(l.group(1));
                }
                labels.merge(s.group(1), names, (a, b) -> {
                    a.retainAll(b);
                    return a;
                });
            }
            return new Scrape(text, types, labels);
        }
    }
}

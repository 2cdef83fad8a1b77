package io.backprop.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The provisioned Grafana dashboard is well-formed and bound to the provisioned datasource. */
class DashboardTest {

    private static final Path DASHBOARD = Path.of("src/main/docker/grafana/dashboards/backprop.json");
    private static final Path DATASOURCE = Path.of("src/main/docker/grafana/provisioning/datasources/prometheus.yml");

    @Test
    void panelsHaveUniqueIdsAndEveryPanelAndQueryNamesTheProvisionedDatasource() throws Exception {
        JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
        String uid = Files.readAllLines(DATASOURCE).stream().map(String::trim).filter(l -> l.startsWith("uid:"))
                .map(l -> l.substring(4).trim()).findFirst().orElseThrow();

        JsonNode panels = dashboard.get("panels");
        assertThat(panels.size()).isGreaterThanOrEqualTo(12);
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels) {
            assertThat(ids.add(panel.get("id").asInt())).as("duplicate panel id %s", panel.get("id")).isTrue();
            assertThat(panel.get("datasource").get("uid").asString()).isEqualTo(uid);
            assertThat(panel.get("targets").size()).isPositive();
            for (JsonNode target : panel.get("targets")) {
                assertThat(target.get("datasource").get("uid").asString()).isEqualTo(uid);
                assertThat(target.get("expr").asString()).isNotBlank();
            }
        }
        for (JsonNode variable : dashboard.get("templating").get("list")) {
            assertThat(variable.get("datasource").get("uid").asString()).isEqualTo(uid);
        }
        Set<String> variables = new HashSet<>();
        dashboard.get("templating").get("list").forEach(v -> variables.add(v.get("name").asString()));
        assertThat(variables).contains("instance", "run");
    }
}

package io.backprop.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import tools.jackson.databind.JsonNode;

/** What every error answer of the service must be, whichever layer wrote it (MVC, a filter, security). */
final class Problems {

    private Problems() {
    }

    /** RFC 9457: status, title, detail and instance present; no member null (a null type is not a URI). */
    static void assertProblem(Api.Response response, int status, String where) {
        assertThat(response.status()).as(where + ": " + response.text()).isEqualTo(status);
        assertThat(response.contentType()).as(where).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("status").asInt()).as(where).isEqualTo(status);
        String title = problem.get("title").asString();
        assertThat(title).as(where).isNotBlank();
        assertThat(title.substring(1)).as(where + ": the title in sentence case").isEqualTo(title.substring(1).toLowerCase(Locale.ROOT));
        assertThat(problem.get("detail").asString()).as(where).isNotBlank()
                .as(where + ": the detail names no Java type or method").doesNotContain("`", "java.", "io.backprop", "JsonToken");
        assertThat(problem.get("instance").asString()).as(where).startsWith("/");
        for (var member : problem.properties()) {
            assertThat(member.getValue().isNull()).as(where + ": member " + member.getKey() + " is null").isFalse();
        }
    }
}

package io.backprop.service;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(problem.get("title").asString()).as(where).isNotBlank();
        assertThat(problem.get("detail").asString()).as(where).isNotBlank();
        assertThat(problem.get("instance").asString()).as(where).startsWith("/");
        for (var member : problem.properties()) {
            assertThat(member.getValue().isNull()).as(where + ": member " + member.getKey() + " is null").isFalse();
        }
    }
}

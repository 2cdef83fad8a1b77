package io.backprop.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.Schema;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** The schemas of {@code /v3/api-docs} where the generator cannot know the wire format. */
final class OpenApiSchemas {

    private OpenApiSchemas() {
    }

    /**
     * Corrects what the generator cannot see: number tables are read by a streaming deserializer (so the
     * record's fields are not the wire format), labels are any JSON array, and some run fields are null
     * until the run reaches them.
     */
    static void correct(OpenAPI api) {
        if (api.getComponents() == null || api.getComponents().getSchemas() == null) {
            return;
        }
        var schemas = api.getComponents().getSchemas();
        Schema<Object> number = typed("number");
        number.setFormat("float");
        Schema<Object> row = typed("array");
        row.setItems(number);
        Schema<Object> rows = typed("array");
        rows.setItems(row);
        rows.setDescription("Rows of numbers, all of the same width");
        schemas.put("FloatRows", rows);
        schemas.remove("FieldProblem"); // only the parser's internal problem list referred to it
        schemas.remove("SseEmitter"); // the event streams are described as text
        Schema<?> request = schemas.get("JsonDatasetRequest");
        if (request != null && request.getProperties() != null) {
            Schema<Object> labels = typed("array");
            labels.setDescription("One label per row: numbers or strings, or an array of them per row");
            request.getProperties().put("labels", labels);
            schemas.remove("JsonNode");
        }
        Map<String, List<String>> nullable = Map.of("RunResponse", List.of("startedAt", "finishedAt", "error"),
                "KeyView", List.of("expiresAt", "revokedAt", "lastUsedAt"), "StudyView", List.of("reason", "finishedAt"));
        nullable.forEach((name, fields) -> {
            Schema<?> schema = schemas.get(name);
            if (schema != null && schema.getProperties() != null) {
                for (String field : fields) {
                    Schema<?> property = schema.getProperties().get(field);
                    if (property != null) {
                        property.setTypes(new LinkedHashSet<>(List.of("string", "null")));
                    }
                }
            }
        });
    }

    static Schema<Object> typed(String... types) {
        JsonSchema schema = new JsonSchema();
        schema.setTypes(new LinkedHashSet<>(List.of(types)));
        return schema;
    }
}

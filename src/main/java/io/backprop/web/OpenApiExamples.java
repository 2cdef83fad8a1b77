package io.backprop.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.media.Schema;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import tools.jackson.core.type.TypeReference;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gives every operation of {@code /v3/api-docs} its real success status, an example of its request
 * and response, and the problem+json answers it can give.
 */
@Component
class OpenApiExamples implements OpenApiCustomizer {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String RUN_ID = "5f0c6a52-2f4e-4d52-9a43-1f0a3c1f2b7e";
    private static final String DATASET_ID = "0b9d8e27-8c1f-4c0e-b6a4-6f1e2d3c4b5a";

    private static final String DATASET = """
            {"id":"%s","name":"iris","rows":150,"featureNames":["sepal_length","sepal_width","petal_length","petal_width"],
             "labelNames":["species"],"task":"classification","classes":["setosa","versicolor","virginica"],
             "sha256":"1313a7d3c8e674c96db1ab36bb6b99c9fe779d2daf1839cbda0b3f5b866e7ef4","sizeBytes":3867,
             "createdAt":"2026-11-28T18:16:08Z"}""".formatted(DATASET_ID);
    private static final String SPEC = """
            {"name":"iris-mlp","tags":{"team":"vision"},"dataset":{"id":"%s"},
             "model":{"layers":[{"units":16,"activation":"relu"},{"units":3,"activation":"softmax"}],"loss":"cross_entropy","init":"he_uniform"},
             "optimizer":{"type":"adam","learningRate":0.01},
             "training":{"epochs":60,"batchSize":16,"shuffle":true,"seed":1,"validationSplit":0.2,"standardize":true,
                         "earlyStopping":{"monitor":"val_loss","mode":"min","patience":5,"minDelta":0,"restoreBest":true}}}"""
            .formatted(DATASET_ID);
    private static final String RUN = """
            {"id":"%s","name":"iris-mlp","tags":{"team":"vision"},"status":"RUNNING","spec":%s,
             "progress":{"epoch":12,"epochs":60,"step":3,"stepsPerEpoch":8,"fraction":0.206,"etaSeconds":4},
             "metrics":{"loss":0.31,"valLoss":0.29,"accuracy":0.9,"valAccuracy":0.93},
             "best":{"epoch":12,"monitor":"val_loss","value":0.29},
             "statusHistory":[{"status":"QUEUED","at":"2026-11-28T18:16:09Z","reason":"submitted"},
                              {"status":"RUNNING","at":"2026-11-28T18:16:10Z","reason":"attempt 1 on host:4242"}],
             "attempts":1,"createdAt":"2026-11-28T18:16:09Z","startedAt":"2026-11-28T18:16:10Z","finishedAt":null,"error":null}"""
            .formatted(RUN_ID, SPEC);
    private static final String PROBLEM_422 = """
            {"type":"about:blank","title":"Invalid request","status":422,"detail":"2 fields are invalid",
             "instance":"/api/v1/runs","errors":[{"field":"$.model.layers[0].units","message":"must be between 1 and 1000000"},
             {"field":"$.optimizer.learningRate","message":"must be > 0"}]}""";

    @Override
    public void customise(OpenAPI api) {
        api.info(new Info().title("Backprop").version("v1")
                .description("Training as a service: multilayer perceptrons trained on your datasets.")
                .license(new License().name("Proprietary").identifier("LicenseRef-Proprietary")));
        OpenApiSchemas.correct(api);
        api.components(api.getComponents() == null ? new Components() : api.getComponents());
        api.getComponents().addSecuritySchemes("apiKey", new SecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("bearer").description("An API key (Authorization: Bearer bp_...), or a JWT when configured"));
        api.addSecurityItem(new SecurityRequirement().addList("apiKey"));
        operation(api, "/api/v1/datasets", PathItem.HttpMethod.POST, "201", "{\"name\":\"toy\",\"features\":[[0,0],[0,1],[1,0],[1,1]],\"labels\":[0,1,1,0]}",
                DATASET, 400, 413, 415, 422);
        operation(api, "/api/v1/datasets", PathItem.HttpMethod.GET, "200", null,
                "{\"content\":[" + DATASET + "],\"page\":0,\"size\":20,\"totalElements\":1,\"totalPages\":1}", 422);
        operation(api, "/api/v1/datasets/{id}", PathItem.HttpMethod.GET, "200", null, DATASET, 400, 404);
        operation(api, "/api/v1/datasets/{id}", PathItem.HttpMethod.DELETE, "204", null, null, 404, 409);
        operation(api, "/api/v1/runs", PathItem.HttpMethod.POST, "202", SPEC, RUN, 400, 415, 422, 429);
        operation(api, "/api/v1/runs", PathItem.HttpMethod.GET, "200", null,
                "{\"content\":[" + RUN + "],\"page\":0,\"size\":20,\"totalElements\":1,\"totalPages\":1}", 400, 422);
        operation(api, "/api/v1/runs/{id}", PathItem.HttpMethod.GET, "200", null, RUN, 400, 404);
        operation(api, "/api/v1/runs/{id}", PathItem.HttpMethod.DELETE, "204", null, null, 404, 409);
        operation(api, "/api/v1/runs/{id}/cancel", PathItem.HttpMethod.POST, "202", null, RUN, 404, 409);
        operation(api, "/api/v1/runs/{id}/metrics", PathItem.HttpMethod.GET, "200", null, """
                [{"epoch":1,"loss":1.02,"valLoss":0.85,"accuracy":0.61,"valAccuracy":0.7,"learningRate":0.01,
                  "durationMs":24,"samplesPerSecond":4920.9}]""", 404, 422);
        operation(api, "/api/v1/runs/{id}/weights", PathItem.HttpMethod.GET, "200", null, """
                {"spec":%s,"classes":["setosa","versicolor","virginica"],
                 "preprocessing":{"mean":[5.84,3.05,3.76,1.2],"std":[0.83,0.43,1.76,0.76]},
                 "layers":[{"weight":[[0.1,-0.2,0.3,0.05]],"bias":[0.01]}]}""".formatted(SPEC), 404, 409, 422);
        operation(api, "/api/v1/weights", PathItem.HttpMethod.POST, "201", null,
                "{\"weightsId\":\"" + RUN_ID + "\",\"tensors\":{\"layers.0.weight\":[16,4],\"layers.0.bias\":[16],"
                        + "\"layers.1.weight\":[3,16],\"layers.1.bias\":[3]}}", 400, 413, 422);
        operation(api, "/api/v1/runs/{id}/predictions", PathItem.HttpMethod.POST, "200",
                "{\"inputs\":[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]}",
                "{\"outputs\":[[0.999,0.001,0.0],[0.0,0.002,0.998]],\"labels\":[\"setosa\",\"virginica\"],"
                        + "\"classes\":[\"setosa\",\"versicolor\",\"virginica\"]}", 400, 404, 409, 422);
        identity(api);
        operation(api, "/api/v1/runs/{id}/events", PathItem.HttpMethod.GET, "200", null, STREAM, 400, 404, 422);
        operation(api, "/api/v1/events", PathItem.HttpMethod.GET, "200", null, STREAM_MULTIPLEXED, 400, 404, 422);
        studies(api);
    }

    private static final String STREAM = """
            retry:3000
            :backprop

            event:status
            id:0
            data:{"status":"RUNNING","reason":"attempt 1 on host:4242","at":"2026-11-28T18:16:10Z"}

            event:epoch
            id:1
            data:{"epoch":1,"loss":1.02,"valLoss":0.85,"accuracy":0.61,"valAccuracy":0.7,"learningRate":0.01,"durationMs":24,"samplesPerSecond":4920.9}

            """;
    private static final String STREAM_MULTIPLEXED = """
            event:epoch
            id:%s:1
            data:{"epoch":1,"loss":1.02,"valLoss":0.85,"accuracy":0.61,"valAccuracy":0.7,"learningRate":0.01,"durationMs":24,"samplesPerSecond":4920.9,"runId":"%s"}

            """.formatted(RUN_ID, RUN_ID);
    private static final String STUDY_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
    private static final String TRIAL = """
            {"position":0,"runId":"%s","params":{"optimizer.learningRate":0.0031,"model.layers[0].units":64},
             "status":"SUCCEEDED","epochs":27,"objective":0.9833}""".formatted(RUN_ID);
    private static final String STUDY = """
            {"id":"%s","name":"digits-asha","status":"RUNNING","reason":null,"strategy":"asha",
             "objective":{"metric":"valAccuracy","mode":"max"},"rungs":[3,9,27],"rung":2,"trials":[%s],"best":%s,
             "createdAt":"2026-11-29T13:00:00Z","finishedAt":null}""".formatted(STUDY_ID, TRIAL, TRIAL);

    private static void studies(OpenAPI api) {
        operation(api, "/api/v1/studies", PathItem.HttpMethod.POST, "202", """
                {"name":"digits-asha","base":%s,
                 "space":{"optimizer.learningRate":{"logUniform":[0.0001,0.03]},"model.layers[0].units":{"values":[8,32,64]}},
                 "strategy":{"type":"asha","maxTrials":12,"maxConcurrent":4,"seed":7,"minEpochs":3,"reductionFactor":3},
                 "objective":{"metric":"valAccuracy","mode":"max"}}""".formatted(SPEC), STUDY, 400, 415, 422, 429);
        operation(api, "/api/v1/studies", PathItem.HttpMethod.GET, "200", null,
                "{\"content\":[" + STUDY + "],\"page\":0,\"size\":20,\"totalElements\":1,\"totalPages\":1}", 422);
        operation(api, "/api/v1/studies/{id}", PathItem.HttpMethod.GET, "200", null, STUDY, 400, 404);
        operation(api, "/api/v1/studies/{id}/leaderboard", PathItem.HttpMethod.GET, "200", null, "[" + TRIAL + "]", 400, 404);
        operation(api, "/api/v1/studies/{id}/cancel", PathItem.HttpMethod.POST, "202", null, STUDY, 404, 409);
    }

    private static final String TENANT_ID = "7d1e9a40-3b2c-4f5e-8a6b-9c0d1e2f3a4b";
    private static final String KEY_ID = "2c4e6a8b-0d1f-4a3c-9e5b-7f9a1c3e5b7d";
    private static final String TENANT = """
            {"id":"%s","name":"vision","quotas":{"maxQueuedRuns":100,"maxRunningRuns":2,"maxStorageBytes":10737418240},
             "createdAt":"2026-11-29T09:00:00Z"}""".formatted(TENANT_ID);
    private static final String KEY = """
            {"id":"%s","name":"ci","prefix":"bp_3f9a2c1d7e4b","role":"member","createdAt":"2026-11-29T09:00:00Z",
             "expiresAt":"2027-06-01T00:00:00Z","revokedAt":null,"lastUsedAt":"2026-11-29T09:30:00Z"}""".formatted(KEY_ID);

    private static void identity(OpenAPI api) {
        operation(api, "/api/v1/tenants", PathItem.HttpMethod.POST, "201",
                "{\"name\":\"vision\",\"quotas\":{\"maxQueuedRuns\":100,\"maxRunningRuns\":2,\"maxStorageBytes\":10737418240}}",
                TENANT, 409, 422);
        operation(api, "/api/v1/tenants", PathItem.HttpMethod.GET, "200", null, "[" + TENANT + "]");
        operation(api, "/api/v1/tenants/{id}/keys", PathItem.HttpMethod.POST, "201",
                "{\"name\":\"ci\",\"role\":\"member\",\"expiresAt\":\"2027-06-01T00:00:00Z\"}",
                "{\"id\":\"" + KEY_ID + "\",\"key\":\"bp_3f9a2c1d7e4b_Qm9vZ2xlLWlzLW5vdC1hLWtleS1qdXN0LWFuLWV4YW1wbGU\","
                        + "\"prefix\":\"bp_3f9a2c1d7e4b\",\"role\":\"member\"}", 404, 422);
        operation(api, "/api/v1/tenants/{id}/keys", PathItem.HttpMethod.GET, "200", null, "[" + KEY + "]", 404);
        operation(api, "/api/v1/keys/{keyId}", PathItem.HttpMethod.DELETE, "204", null, null, 404);
        operation(api, "/api/v1/tenants/{id}/usage", PathItem.HttpMethod.GET, "200", null,
                "{\"queuedRuns\":3,\"runningRuns\":2,\"storageBytes\":73400320}", 404);
        operation(api, "/api/v1/weights/{id}", PathItem.HttpMethod.DELETE, "204", null, null, 404, 409);
    }

    private static void operation(OpenAPI api, String path, PathItem.HttpMethod method, String status, String request,
                                  String response, int... problems) {
        PathItem item = api.getPaths() == null ? null : api.getPaths().get(path);
        Operation op = item == null ? null : item.readOperationsMap().get(method);
        if (op == null) {
            return;
        }
        if (request != null && op.getRequestBody() != null && op.getRequestBody().getContent() != null) {
            op.getRequestBody().getContent().forEach((type, m) -> {
                boolean upload = m.getSchema() != null && m.getSchema().getProperties() != null
                        && m.getSchema().getProperties().containsKey("file");
                if (!upload && type.equals("application/json")) {
                    m.setExample(parse(request));
                }
            });
        }
        ApiResponses responses = op.getResponses() == null ? new ApiResponses() : op.getResponses();
        ApiResponse ok = responses.remove("200");
        if (ok == null) {
            ok = new ApiResponse().description("OK");
        }
        if (response != null) {
            Content content = ok.getContent() == null ? new Content() : ok.getContent();
            if (content.isEmpty()) {
                content.addMediaType("application/json", new MediaType());
            }
            content.forEach((type, m) -> {
                if (type.equals("text/event-stream")) {
                    Schema<Object> text = OpenApiSchemas.typed("string");
                    text.setDescription("Server-Sent Events: status, epoch and step events, one JSON object per data line");
                    m.setSchema(text);
                    m.setExample(response);
                } else {
                    m.setExample(type.equals("text/csv") ? csv(response) : parse(response));
                }
            });
            ok.setContent(content);
        } else {
            ok.setContent(null);
        }
        ok.setDescription(switch (status) {
            case "201" -> "Created";
            case "202" -> "Accepted";
            case "204" -> "No content";
            default -> "OK";
        });
        responses.addApiResponse(status, ok);
        for (int code : problems) {
            responses.addApiResponse(Integer.toString(code), problem(code));
        }
        // every API operation needs a key, and a role that may do it
        responses.addApiResponse("401", problem(401));
        responses.addApiResponse("403", problem(403));
        op.setResponses(responses);
    }

    private static ApiResponse problem(int code) {
        String example = code == 422 ? PROBLEM_422 : """
                {"type":"about:blank","title":"%s","status":%d,"detail":"%s","instance":"/api/v1/runs/%s"}"""
                .formatted(TITLES.get(code)[0], code, TITLES.get(code)[1], RUN_ID);
        return new ApiResponse().description(TITLES.get(code)[0]).content(new Content().addMediaType(
                "application/problem+json", new MediaType().example(parse(example))));
    }

    private static final Map<Integer, String[]> TITLES = Map.of(
            400, new String[] {"Malformed request body", "CSV line 3 has 2 fields, the header has 3"},
            401, new String[] {"Unauthorized", "send an API key as 'Authorization: Bearer <key>'"},
            403, new String[] {"Forbidden", "this key's role may not DELETE /api/v1/runs/" + RUN_ID},
            404, new String[] {"Not found", "no run with id " + RUN_ID},
            409, new String[] {"Conflict", "run is RUNNING; cancel it before deleting"},
            413, new String[] {"Too large", "dataset of 209715200 bytes exceeds the limit of 104857600"},
            415, new String[] {"Unsupported Media Type", "Content-Type 'text/plain' is not supported"},
            422, new String[] {"Invalid request", "2 fields are invalid"},
            429, new String[] {"Quota exceeded", "the tenant has 100 queued runs, its quota; retry when some have started"});

    /** The CSV form of a JSON array of flat objects, as the history endpoint renders it. */
    private static String csv(String jsonArray) {
        List<Map<String, Object>> rows = JSON.readValue(jsonArray, new TypeReference<>() { });
        StringBuilder out = new StringBuilder(String.join(",", rows.get(0).keySet())).append('\n');
        for (Map<String, Object> row : rows) {
            out.append(String.join(",", row.values().stream().map(String::valueOf).toList())).append('\n');
        }
        return out.toString();
    }

    private static Object parse(String json) {
        return JSON.readValue(json, Object.class);
    }
}

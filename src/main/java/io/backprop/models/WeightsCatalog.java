package io.backprop.models;

import io.backprop.identity.Audit;
import io.backprop.identity.QuotaGuard;
import io.backprop.identity.Tenancy;
import org.springframework.transaction.annotation.Transactional;
import io.backprop.core.ModelSpec;
import io.backprop.core.Network;
import io.backprop.runs.InitialWeightsCatalog;
import io.backprop.runs.RunSpec;
import io.backprop.runs.RunStore;
import io.backprop.web.ApiException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Weights a run can start from: the final weights of a succeeded run, or a safetensors file uploaded
 * in our layout ({@code layers.{i}.weight [out, in]}, {@code layers.{i}.bias [out]}).
 */
@Service
public class WeightsCatalog implements InitialWeightsCatalog {

    private static final Pattern TENSOR_NAME = Pattern.compile("layers\\.(\\d+)\\.(weight|bias)");

    private final RunStore runs;
    private final UploadedWeightsRepository uploads;
    private final JsonMapper json;
    private final Clock clock;
    private final Tenancy tenancy;
    private final QuotaGuard quotas;
    private final Audit audit;

    WeightsCatalog(RunStore runs, UploadedWeightsRepository uploads, JsonMapper json, Clock clock, Tenancy tenancy,
                   QuotaGuard quotas, Audit audit) {
        this.tenancy = tenancy;
        this.quotas = quotas;
        this.audit = audit;
        this.runs = runs;
        this.uploads = uploads;
        this.json = json;
        this.clock = clock;
    }

    /** An upload's id and its tensors' shapes. */
    public record Upload(UUID weightsId, Map<String, long[]> tensors) {
    }

    /**
     * Checks and stores an uploaded safetensors file for the caller's tenant, within its storage quota;
     * only the shapes are kept apart from the bytes.
     */
    @Transactional
    public Upload upload(byte[] bytes) {
        Safetensors.File file = Safetensors.inspect(bytes);
        if (file.tensors().isEmpty()) {
            throw ApiException.invalid("file", "holds no tensors");
        }
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (var e : file.tensors().entrySet()) {
            var m = TENSOR_NAME.matcher(e.getKey());
            if (!m.matches()) {
                throw ApiException.invalid("file", "tensor '" + e.getKey() + "' is not named layers.{i}.weight or layers.{i}.bias");
            }
            int rank = "weight".equals(m.group(2)) ? 2 : 1;
            if (e.getValue().shape().length != rank) {
                throw ApiException.invalid("file", "tensor '" + e.getKey() + "' must have " + rank + " dimensions");
            }
            shapes.put(e.getKey(), e.getValue().shape());
        }
        UUID tenant = tenancy.tenantId();
        quotas.admitStorage(tenant, bytes.length);
        UploadedWeights saved = uploads.save(new UploadedWeights(UUID.randomUUID(), tenant, json.writeValueAsString(shapes),
                bytes, clock.instant()));
        audit.record("create", "weights", saved.id());
        return new Upload(saved.id(), shapes);
    }

    /** Deletes one of the caller's uploads, unless a queued or running run starts from it. */
    @Transactional
    public void delete(UUID weightsId) {
        UUID tenant = tenancy.tenantId();
        UploadedWeights upload = uploads.findByIdAndTenantId(weightsId, tenant)
                .orElseThrow(() -> ApiException.notFound("weights", weightsId));
        if (runs.activeRunStartsFrom(tenant, weightsId)) {
            throw ApiException.conflict("weights " + weightsId + " are the initial weights of a queued or running run");
        }
        uploads.delete(upload);
        audit.record("delete", "weights", weightsId);
    }

    @Override
    public Optional<Map<String, long[]>> runWeightShapes(UUID tenantId, UUID runId) {
        return runs.finalWeightsOf(tenantId, runId).map(w -> shapesOf(Safetensors.inspect(w.data())));
    }

    @Override
    public Optional<Map<String, long[]>> uploadedWeightShapes(UUID tenantId, UUID weightsId) {
        return uploads.findByIdAndTenantId(weightsId, tenantId).map(u -> json.readValue(u.tensors(), new TypeReference<Map<String, long[]>>() {
        }));
    }

    /**
     * Initial parameters for a run of {@code tenantId} whose spec names them; shapes were checked when
     * it was submitted.
     */
    public Network initialNetwork(UUID tenantId, RunSpec.InitialWeights source, ModelSpec model) {
        byte[] bytes = source.runId() != null
                ? runs.finalWeightsOf(tenantId, source.runId()).orElseThrow(() -> new IllegalStateException(
                "initial weights of run " + source.runId() + " are gone")).data()
                : uploads.findByIdAndTenantId(source.weightsId(), tenantId).orElseThrow(() -> new IllegalStateException(
                "uploaded weights " + source.weightsId() + " are gone")).data();
        return TrainedModel.network(Safetensors.read(bytes).tensors(), model);
    }

    private static Map<String, long[]> shapesOf(Safetensors.File file) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        file.tensors().forEach((k, v) -> shapes.put(k, v.shape()));
        return shapes;
    }
}

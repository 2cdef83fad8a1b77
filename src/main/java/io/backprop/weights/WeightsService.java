package io.backprop.weights;

import io.backprop.config.Digests;
import io.backprop.core.Checkpoint;
import io.backprop.core.ModelSpec;
import io.backprop.core.Network;
import io.backprop.runs.InitialWeightsCatalog;
import io.backprop.runs.RunLedger;
import io.backprop.runs.RunSpec;
import io.backprop.runs.RunSpecResolver;
import io.backprop.runs.RunStatus;
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

/** Trained and uploaded weights: reading them for download, prediction and warm starts. */
@Service
public class WeightsService implements InitialWeightsCatalog {

    private static final Pattern TENSOR_NAME = Pattern.compile("layers\\.(\\d+)\\.(weight|bias)");

    private final RunLedger ledger;
    private final UploadedWeightsRepository uploads;
    private final JsonMapper json;
    private final Clock clock;
    /** Parsed final weights by their digest: stored weights never change, so a digest never goes stale. */
    private final ModelCache served;

    WeightsService(RunLedger ledger, UploadedWeightsRepository uploads, JsonMapper json, Clock clock,
                   io.backprop.config.BackpropProperties properties) {
        this.served = new ModelCache(properties.modelCacheBytes().toBytes());
        this.ledger = ledger;
        this.uploads = uploads;
        this.json = json;
        this.clock = clock;
    }

    /** A downloadable model and its bytes; {@code etag} is the digest of those bytes. */
    record Download(TrainedModel model, byte[] safetensors, String etag) {
    }

    /** The final weights of a succeeded run, or with {@code latestCheckpoint} those of its newest checkpoint. */
    Download forRun(UUID runId, boolean latestCheckpoint) {
        RunLedger.View run = ledger.view(runId).orElseThrow(() -> ApiException.notFound("run", runId));
        if (latestCheckpoint) {
            byte[] cp = ledger.latestCheckpoint(runId).orElseThrow(() -> ApiException.conflict(
                    "run " + runId + " has no checkpoint yet" + (run.status() == RunStatus.SUCCEEDED
                            ? "; it succeeded, download its final weights" : "")));
            Checkpoint checkpoint = Checkpoint.decode(cp);
            int inputs = checkpoint.params()[0].length / run.spec().model().layers().get(0).units();
            ModelSpec model = RunSpecResolver.modelSpec(run.spec().model(), inputs);
            TrainedModel trained = new TrainedModel(run.spec(), ledger.classes(runId), checkpoint.preprocessing(),
                    checkpoint.network(model));
            byte[] bytes = trained.toSafetensors();
            return new Download(trained, bytes, Digests.sha256(bytes));
        }
        if (run.status() != RunStatus.SUCCEEDED) {
            throw ApiException.conflict("run " + runId + " is " + run.status()
                    + "; weights exist once it has SUCCEEDED (or ask for ?checkpoint=latest)");
        }
        var stored = ledger.finalWeights(runId).orElseThrow(() -> ApiException.notFound("weights of run", runId));
        return new Download(TrainedModel.fromSafetensors(stored.data()), stored.data(), stored.sha256());
    }

    /** Stores an uploaded safetensors file laid out as ours: {@code layers.{i}.weight [out, in]}, {@code layers.{i}.bias [out]}. */
    UploadResult upload(byte[] bytes) {
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
        UploadedWeights saved = uploads.save(new UploadedWeights(UUID.randomUUID(), json.writeValueAsString(shapes),
                bytes, clock.instant()));
        return new UploadResult(saved.id(), shapes);
    }

    record UploadResult(UUID weightsId, Map<String, long[]> tensors) {
    }

    @Override
    public Optional<Map<String, long[]>> runWeightShapes(UUID runId) {
        return ledger.view(runId).filter(v -> v.status() == RunStatus.SUCCEEDED)
                .flatMap(v -> ledger.finalWeights(runId))
                .map(w -> shapesOf(Safetensors.inspect(w.data())));
    }

    @Override
    public Optional<Map<String, long[]>> uploadedWeightShapes(UUID weightsId) {
        return uploads.findById(weightsId).map(u -> json.readValue(u.tensors(), new TypeReference<Map<String, long[]>>() {
        }));
    }

    /** Initial parameters for a run whose spec names them; shapes were checked when it was submitted. */
    public Network initialNetwork(RunSpec.InitialWeights source, ModelSpec model) {
        byte[] bytes = source.runId() != null
                ? ledger.finalWeights(source.runId()).orElseThrow(() -> new IllegalStateException(
                "initial weights of run " + source.runId() + " are gone")).data()
                : uploads.findById(source.weightsId()).orElseThrow(() -> new IllegalStateException(
                "uploaded weights " + source.weightsId() + " are gone")).data();
        return TrainedModel.network(Safetensors.read(bytes).tensors(), model);
    }

    /**
     * The trained model of a succeeded run, for predictions: parsed once per weights file and kept for
     * the next requests instead of being read and parsed again each time.
     */
    TrainedModel servedModel(UUID runId) {
        RunLedger.View run = ledger.view(runId).orElseThrow(() -> ApiException.notFound("run", runId));
        if (run.status() != RunStatus.SUCCEEDED) {
            throw ApiException.conflict("run " + runId + " is " + run.status() + "; it can predict once it has SUCCEEDED");
        }
        String digest = ledger.finalWeightsDigest(runId).orElseThrow(() -> ApiException.notFound("weights of run", runId));
        TrainedModel cached = served.get(digest);
        if (cached != null) {
            return cached;
        }
        TrainedModel model = forRun(runId, false).model();
        served.put(digest, model, 4L * model.network().spec().parameterCount());
        return model;
    }

    private static Map<String, long[]> shapesOf(Safetensors.File file) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        file.tensors().forEach((k, v) -> shapes.put(k, v.shape()));
        return shapes;
    }
}

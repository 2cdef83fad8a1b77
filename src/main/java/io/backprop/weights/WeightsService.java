package io.backprop.weights;

import io.backprop.config.BackpropProperties;
import io.backprop.config.Digests;
import io.backprop.core.Checkpoint;
import io.backprop.core.ModelSpec;
import io.backprop.identity.Tenancy;
import io.backprop.models.OnnxExport;
import io.backprop.models.TrainedModel;
import io.backprop.runs.RunViews;
import io.backprop.runs.SpecMapping;
import io.backprop.runs.RunStatus;
import io.backprop.web.ApiException;
import java.util.UUID;
import org.springframework.stereotype.Service;

/** Trained and uploaded weights: reading them for download, prediction and warm starts. */
@Service
public class WeightsService {

    private final RunViews ledger;
    private final Tenancy tenancy;
    /** Parsed final weights by their digest: stored weights never change, so a digest never goes stale. */
    private final ModelCache served;

    WeightsService(RunViews ledger, BackpropProperties properties, Tenancy tenancy) {
        this.tenancy = tenancy;
        this.served = new ModelCache(properties.modelCacheBytes().toBytes());
        this.ledger = ledger;
    }

    /** A downloadable model and its bytes; {@code etag} is the digest of those bytes. */
    record Download(TrainedModel model, byte[] safetensors, String etag) {
    }

    /** The final weights of a succeeded run, or with {@code latestCheckpoint} those of its newest checkpoint. */
    Download forRun(UUID runId, boolean latestCheckpoint) {
        return forRun(ownRun(runId), latestCheckpoint);
    }

    private RunViews.View ownRun(UUID runId) {
        return ledger.view(tenancy.tenantId(), runId).orElseThrow(() -> ApiException.notFound("run", runId));
    }

    private Download forRun(RunViews.View run, boolean latestCheckpoint) {
        UUID runId = run.id();
        if (latestCheckpoint) {
            byte[] cp = ledger.latestCheckpoint(runId).orElseThrow(() -> ApiException.conflict(
                    "run " + runId + " has no checkpoint yet" + (run.status() == RunStatus.SUCCEEDED
                            ? "; it succeeded, download its final weights" : "")));
            Checkpoint checkpoint = Checkpoint.decode(cp);
            int inputs = checkpoint.params()[0].length / run.spec().model().layers().get(0).units();
            ModelSpec model = SpecMapping.modelSpec(run.spec().model(), inputs);
            TrainedModel trained = new TrainedModel(run.spec(), ledger.classes(run), checkpoint.preprocessing(),
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

    record OnnxFile(String runName, byte[] bytes) {
    }

    /** The model of {@link #forRun} as an ONNX file. */
    OnnxFile onnx(UUID runId, boolean latestCheckpoint) {
        RunViews.View run = ownRun(runId);
        TrainedModel model = forRun(run, latestCheckpoint).model();
        return new OnnxFile(model.spec().name(), OnnxExport.of(model, ledger.featureNames(run), runId));
    }

    /**
     * The trained model of a succeeded run, for predictions: parsed once per weights file and kept for
     * the next requests instead of being read and parsed again each time.
     */
    TrainedModel servedModel(UUID runId) {
        RunViews.Served run = ledger.served(tenancy.tenantId(), runId).orElseThrow(() -> ApiException.notFound("run", runId));
        if (run.status() != RunStatus.SUCCEEDED || run.weightsDigest() == null) {
            throw ApiException.conflict("run " + runId + " is " + run.status() + "; it can predict once it has SUCCEEDED");
        }
        String digest = run.weightsDigest();
        TrainedModel cached = served.get(digest);
        if (cached != null) {
            return cached;
        }
        TrainedModel model = forRun(runId, false).model();
        served.put(digest, model, 4L * model.network().spec().parameterCount());
        return model;
    }

}

package io.backprop.runs;

import io.backprop.datasets.DatasetDescription;
import io.backprop.datasets.DatasetService;
import io.backprop.web.FieldErrors;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** What other features read of runs: a tenant's run, its output and input names, its stored weights, counts. */
@Service
public class RunViews {

    private final RunRepository runs;
    private final RunStore store;
    private final DatasetService datasets;
    private final JsonMapper json;

    RunViews(RunRepository runs, RunStore store, DatasetService datasets, JsonMapper json) {
        this.runs = runs;
        this.store = store;
        this.datasets = datasets;
        this.json = json;
    }

    /**
     * A read-only view of a run for other features.
     *
     * @param epoch       epochs completed
     * @param epochBudget where its study stops it to wait, or null
     */
    public record View(UUID id, UUID tenantId, String name, RunStatus status, RunSpec spec, int epoch,
                       Integer epochBudget) {

        /** Stopped at its study's budget, checkpointed, waiting to be promoted or pruned. */
        public boolean waitingForStudy() {
            return status == RunStatus.QUEUED && epochBudget != null && epoch >= epochBudget;
        }
    }

    /** How many runs have this status now, across all instances. */
    public long count(RunStatus status) {
        return runs.countByStatus(status);
    }

    /** One of the tenant's runs; another tenant's is as absent as an unknown id. */
    @Transactional(readOnly = true)
    public Optional<View> view(UUID tenantId, UUID runId) {
        return runs.findByIdAndTenantId(runId, tenantId).map(r -> new View(r.id(), r.tenantId(), r.name(), r.status(),
                json.readValue(r.spec(), RunSpec.class), r.epoch(), r.epochBudget()));
    }

    /** Names of the output units: classes, label columns of a multi-label run, none for regression. */
    public List<String> classes(View run) {
        DatasetDescription d = dataset(run);
        return d == null ? List.of() : d.classes();
    }

    /** Names of the input features, in order. */
    public List<String> featureNames(View run) {
        DatasetDescription d = dataset(run);
        return d == null ? List.of() : d.featureNames();
    }

    private DatasetDescription dataset(View run) {
        return datasets.describe(run.tenantId(), run.spec().dataset(), "$.dataset", new FieldErrors());
    }

    /** Final weights (safetensors) and their digest, for a succeeded run. */
    public Optional<RunStore.StoredBytes> finalWeights(UUID runId) {
        return store.finalWeights(runId);
    }

    /** The digest of a run's final weights, without reading them. */
    public Optional<String> finalWeightsDigest(UUID runId) {
        return store.weightsDigest(runId);
    }

    /** A tenant's run's status and the digest of its final weights (null before it has them), in one query. */
    public record Served(RunStatus status, String weightsDigest) {
    }

    public Optional<Served> served(UUID tenantId, UUID runId) {
        return store.served(tenantId, runId);
    }

    public Optional<byte[]> latestCheckpoint(UUID runId) {
        return store.checkpoint(runId);
    }
}

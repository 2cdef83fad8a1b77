package io.backprop.runs;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;

/**
 * A training run. Status moves only through the guarded methods below, along {@link RunStatus}'s
 * table; progress and metrics columns are written by the worker with targeted updates.
 */
@Entity
@Table(name = "run")
@DynamicUpdate
public class Run {

    @Id
    private UUID id;
    private UUID tenantId;
    private String name;
    @Enumerated(EnumType.STRING)
    private RunStatus status;
    private String spec;
    private UUID datasetId;
    private int epoch;
    private int epochs;
    private int step;
    private int stepsPerEpoch;
    private long globalStep;
    private Double loss;
    private Double valLoss;
    private Double accuracy;
    private Double valAccuracy;
    private Integer bestEpoch;
    private String bestMonitor;
    private Double bestValue;
    private int attempts;
    private int lostAttempts;
    private Integer epochBudget;
    private boolean cancelRequested;
    private String worker;
    private String idempotencyKey;
    private String requestHash;
    private Instant createdAt;
    private Instant startedAt;
    private Instant finishedAt;
    private String error;
    @Version
    private long version;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "run_tag", joinColumns = @JoinColumn(name = "run_id"))
    @MapKeyColumn(name = "tag_key")
    @Column(name = "tag_value")
    private Map<String, String> tags = new LinkedHashMap<>();

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "run_status_history", joinColumns = @JoinColumn(name = "run_id"))
    @OrderColumn(name = "position")
    private List<StatusChange> statusHistory = new ArrayList<>();

    protected Run() {
    }

    Run(UUID id, UUID tenantId, String name, Map<String, String> tags, String spec, UUID datasetId, int epochs,
        String idempotencyKey, String requestHash, Instant now) {
        this.id = id;
        this.tenantId = tenantId;
        this.name = name;
        this.tags.putAll(tags);
        this.spec = spec;
        this.datasetId = datasetId;
        this.epochs = epochs;
        this.idempotencyKey = idempotencyKey;
        this.requestHash = requestHash;
        this.createdAt = now;
        this.status = RunStatus.QUEUED;
        this.statusHistory.add(new StatusChange(RunStatus.QUEUED, now, "submitted"));
    }

    /** Moves to {@code next} if the table allows it. Modifies status, history and timestamps. */
    void moveTo(RunStatus next, Instant at, String reason) {
        if (!status.canMoveTo(next)) {
            throw new IllegalStateException("run " + id + " cannot go from " + status + " to " + next);
        }
        status = next;
        statusHistory.add(new StatusChange(next, at, reason));
        if (next == RunStatus.RUNNING && startedAt == null) {
            startedAt = at;
        }
        if (next.terminal()) {
            finishedAt = at;
            worker = null;
        }
    }

    void start(String workerName, Instant at) {
        attempts++;
        worker = workerName;
        moveTo(RunStatus.RUNNING, at, "attempt " + attempts + " on " + workerName);
    }

    /** Handed back on purpose (its instance shuts down): another attempt resumes it. */
    void requeue(Instant at, String reason) {
        worker = null;
        moveTo(RunStatus.QUEUED, at, reason);
    }

    /** The attempt ended without the run's say (instance died or froze, database away too long). */
    void lose(Instant at, String reason) {
        lostAttempts++;
        requeue(at, reason);
    }

    void fail(Instant at, String message) {
        error = message;
        moveTo(RunStatus.FAILED, at, message);
    }

    public UUID id() {
        return id;
    }

    public UUID tenantId() {
        return tenantId;
    }

    public String name() {
        return name;
    }

    public RunStatus status() {
        return status;
    }

    public String spec() {
        return spec;
    }

    public int epoch() {
        return epoch;
    }

    /** The epoch a study lets this run train to before it waits for promotion; null for no budget. */
    public Integer epochBudget() {
        return epochBudget;
    }

    void budget(Integer epochs) {
        this.epochBudget = epochs;
    }

    public int epochs() {
        return epochs;
    }

    public int step() {
        return step;
    }

    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    public long globalStep() {
        return globalStep;
    }

    public Double loss() {
        return loss;
    }

    public Double valLoss() {
        return valLoss;
    }

    public Double accuracy() {
        return accuracy;
    }

    public Double valAccuracy() {
        return valAccuracy;
    }

    public Integer bestEpoch() {
        return bestEpoch;
    }

    public String bestMonitor() {
        return bestMonitor;
    }

    public Double bestValue() {
        return bestValue;
    }

    public int attempts() {
        return attempts;
    }

    public int lostAttempts() {
        return lostAttempts;
    }

    public boolean cancelRequested() {
        return cancelRequested;
    }

    public String requestHash() {
        return requestHash;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    public String error() {
        return error;
    }

    public Map<String, String> tags() {
        return tags;
    }

    public List<StatusChange> statusHistory() {
        return statusHistory;
    }
}

package io.backprop.runs;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Targeted SQL for the hot paths: per-step losses in batches, epoch rows, progress columns and
 * checkpoints, without loading the run entity (so a worker never overwrites a concurrent cancel).
 */
@Component
public class RunStore {

    private final JdbcTemplate jdbc;

    RunStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The fence of every write of a training attempt: touches the run's row only while {@code attempt} is
     * still its current, running attempt, and so holds the row's lock until the transaction ends; a
     * takeover (which updates the same row) waits for it or makes it match nothing.
     *
     * @throws AttemptSuperseded when the attempt is no longer the run's current one
     */
    void fence(UUID runId, int attempt) {
        int rows = jdbc.update("update run set attempts = attempts where id = ? and attempts = ? and status = 'RUNNING'",
                runId, attempt);
        if (rows != 1) {
            throw new AttemptSuperseded(runId, attempt);
        }
    }

    void insertSteps(UUID runId, List<MetricRows.Step> steps) {
        if (steps.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("insert into step_loss (run_id, step, epoch, loss) values (?, ?, ?, ?)", steps, 1000,
                (ps, s) -> {
                    ps.setObject(1, runId);
                    ps.setLong(2, s.step());
                    ps.setInt(3, s.epoch());
                    setDouble(ps, 4, s.loss());
                });
    }

    void insertEpoch(UUID runId, MetricRows.Epoch e) {
        jdbc.update("insert into epoch_metric (run_id, epoch, loss, val_loss, accuracy, val_accuracy, learning_rate,"
                        + " duration_ms, samples_per_second) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ps -> {
                    ps.setObject(1, runId);
                    ps.setInt(2, e.epoch());
                    setDouble(ps, 3, e.loss());
                    setDouble(ps, 4, e.valLoss());
                    setDouble(ps, 5, e.accuracy());
                    setDouble(ps, 6, e.valAccuracy());
                    setDouble(ps, 7, e.learningRate());
                    ps.setLong(8, e.durationMs());
                    setDouble(ps, 9, e.samplesPerSecond());
                });
    }

    void updateProgress(UUID runId, Progress p) {
        jdbc.update("update run set epoch = ?, step = ?, steps_per_epoch = ?, global_step = ?, loss = ?, val_loss = ?,"
                        + " accuracy = ?, val_accuracy = ?, best_epoch = ?, best_monitor = ?, best_value = ? where id = ?",
                ps -> {
                    ps.setInt(1, p.epoch());
                    ps.setInt(2, p.step());
                    ps.setInt(3, p.stepsPerEpoch());
                    ps.setLong(4, p.globalStep());
                    setDouble(ps, 5, p.loss());
                    setDouble(ps, 6, p.valLoss());
                    setDouble(ps, 7, p.accuracy());
                    setDouble(ps, 8, p.valAccuracy());
                    if (p.bestEpoch() == null) {
                        ps.setNull(9, Types.INTEGER);
                    } else {
                        ps.setInt(9, p.bestEpoch());
                    }
                    ps.setString(10, p.bestMonitor());
                    setDouble(ps, 11, p.bestValue());
                    ps.setObject(12, runId);
                });
    }

    void saveCheckpoint(UUID runId, int epoch, long globalStep, byte[] data, Instant at) {
        jdbc.update("delete from run_checkpoint where run_id = ?", runId);
        jdbc.update("insert into run_checkpoint (run_id, epoch, global_step, data, created_at) values (?, ?, ?, ?, ?)",
                runId, epoch, globalStep, data, Timestamp.from(at));
    }

    Optional<byte[]> checkpoint(UUID runId) {
        return jdbc.query("select data from run_checkpoint where run_id = ?", rs -> rs.next()
                ? Optional.of(rs.getBytes(1)) : Optional.empty(), runId);
    }

    void deleteCheckpoint(UUID runId) {
        jdbc.update("delete from run_checkpoint where run_id = ?", runId);
    }

    /** Removes what an attempt wrote after the checkpoint it is resumed from. */
    void rollbackAfter(UUID runId, int completedEpochs, long globalStep) {
        jdbc.update("delete from epoch_metric where run_id = ? and epoch > ?", runId, completedEpochs);
        jdbc.update("delete from step_loss where run_id = ? and step > ?", runId, globalStep);
    }

    void saveWeights(UUID runId, byte[] data, String sha256, Instant at) {
        jdbc.update("delete from run_weights where run_id = ?", runId);
        jdbc.update("insert into run_weights (run_id, data, sha256, created_at) values (?, ?, ?, ?)",
                runId, data, sha256, Timestamp.from(at));
    }

    /** A succeeded run's final weights (safetensors) and their digest; only succeeded runs have them. */
    public Optional<StoredBytes> finalWeights(UUID runId) {
        return jdbc.query("select data, sha256 from run_weights where run_id = ?", rs -> rs.next()
                ? Optional.of(new StoredBytes(rs.getBytes(1), rs.getString(2))) : Optional.empty(), runId);
    }

    /** Like {@link #finalWeights}, only when the run is {@code tenantId}'s. */
    public Optional<StoredBytes> finalWeightsOf(UUID tenantId, UUID runId) {
        return jdbc.query("select w.data, w.sha256 from run_weights w join run r on r.id = w.run_id"
                + " where w.run_id = ? and r.tenant_id = ?", rs -> rs.next()
                ? Optional.of(new StoredBytes(rs.getBytes(1), rs.getString(2))) : Optional.empty(), runId, tenantId);
    }

    /** Whether a queued or running run of the tenant starts from these uploaded weights. */
    public boolean activeRunStartsFrom(UUID tenantId, UUID weightsId) {
        Long used = jdbc.queryForObject("select count(*) from run where tenant_id = ? and status in ('QUEUED', 'RUNNING')"
                + " and spec like ?", Long.class, tenantId, "%\"weightsId\":\"" + weightsId + "\"%");
        return used != null && used > 0;
    }

    Optional<RunViews.Served> served(UUID tenantId, UUID runId) {
        return jdbc.query("select r.status, w.sha256 from run r left join run_weights w on w.run_id = r.id"
                + " where r.id = ? and r.tenant_id = ?", rs -> rs.next()
                ? Optional.of(new RunViews.Served(RunStatus.valueOf(rs.getString(1)), rs.getString(2))) : Optional.empty(),
                runId, tenantId);
    }

    Optional<String> weightsDigest(UUID runId) {
        return jdbc.query("select sha256 from run_weights where run_id = ?", rs -> rs.next()
                ? Optional.of(rs.getString(1)) : Optional.empty(), runId);
    }

    void requestCancel(UUID runId) {
        jdbc.update("update run set cancel_requested = true where id = ?", runId);
    }

    Set<UUID> cancelRequested(Collection<UUID> runIds) {
        Set<UUID> result = new HashSet<>();
        for (UUID id : runIds) {
            Boolean flag = jdbc.query("select cancel_requested from run where id = ?",
                    rs -> rs.next() ? rs.getBoolean(1) : Boolean.FALSE, id);
            if (Boolean.TRUE.equals(flag)) {
                result.add(id);
            }
        }
        return result;
    }

    public record StoredBytes(byte[] data, String sha256) {
    }

    private static void setDouble(java.sql.PreparedStatement ps, int i, Double v) throws java.sql.SQLException {
        if (v == null || !Double.isFinite(v)) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, v);
        }
    }
}

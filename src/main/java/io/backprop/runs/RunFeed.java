package io.backprop.runs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What a live stream reads of a run, by cursor: status changes from a position of the history, epochs
 * and steps after a number. Plain indexed reads of what the worker writes, on any instance.
 */
@Component
public class RunFeed {

    private final JdbcTemplate jdbc;

    RunFeed(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One entry of the status history; {@code position} counts from 0. */
    public record StatusEntry(int position, RunStatus status, String reason, Instant at) {
    }

    /** Status changes at {@code position} and after, oldest first. */
    public List<StatusEntry> statusesFrom(UUID runId, int position) {
        return jdbc.query("select position, status, reason, at from run_status_history where run_id = ? and position >= ?"
                + " order by position", (rs, i) -> new StatusEntry(rs.getInt(1), RunStatus.valueOf(rs.getString(2)),
                rs.getString(3), instant(rs, 4)), runId, position);
    }

    /** The newest status change, or empty when the run is gone. */
    public Optional<StatusEntry> latestStatus(UUID runId) {
        return jdbc.query("select position, status, reason, at from run_status_history where run_id = ?"
                + " order by position desc fetch first 1 rows only", rs -> rs.next()
                ? Optional.of(new StatusEntry(rs.getInt(1), RunStatus.valueOf(rs.getString(2)), rs.getString(3),
                instant(rs, 4))) : Optional.empty(), runId);
    }

    public List<MetricRows.Epoch> epochsAfter(UUID runId, int epoch) {
        return jdbc.query("select epoch, loss, val_loss, accuracy, val_accuracy, learning_rate, duration_ms,"
                        + " samples_per_second from epoch_metric where run_id = ? and epoch > ? order by epoch",
                (rs, i) -> new MetricRows.Epoch(rs.getInt(1), dbl(rs, 2), dbl(rs, 3), dbl(rs, 4), dbl(rs, 5),
                        dbl(rs, 6), rs.getLong(7), dbl(rs, 8)), runId, epoch);
    }

    public List<MetricRows.Step> stepsAfter(UUID runId, long step, int limit) {
        return jdbc.query("select step, epoch, loss from step_loss where run_id = ? and step > ? order by step"
                        + " fetch first " + limit + " rows only",
                (rs, i) -> new MetricRows.Step(rs.getLong(1), rs.getInt(2), dbl(rs, 3)), runId, step);
    }

    /**
     * A validator of what {@code GET /runs/{id}} and its history show, read in one indexed query: the
     * entity's version (every status change), the attempt (a new one may roll history back), the step
     * and epoch reached and the epochs recorded. Empty when the run is not the tenant's.
     */
    public Optional<String> version(UUID tenantId, UUID runId) {
        return jdbc.query("select r.version, r.attempts, r.global_step, r.epoch, r.step,"
                + " (select count(*) from epoch_metric e where e.run_id = r.id) from run r where r.id = ? and r.tenant_id = ?",
                rs -> rs.next() ? Optional.of(rs.getLong(1) + "." + rs.getInt(2) + "." + rs.getLong(3) + "." + rs.getInt(4)
                        + "." + rs.getInt(5) + "." + rs.getLong(6)) : Optional.empty(), runId, tenantId);
    }

    /** The run's newest recorded step, 0 before the first. */
    public long lastStep(UUID runId) {
        Long last = jdbc.queryForObject("select max(step) from step_loss where run_id = ?", Long.class, runId);
        return last == null ? 0 : last;
    }

    /** Steps {@code from}..{@code to} (inclusive) of a run, streamed row by row into the sampler. */
    List<MetricRows.Step> sampledSteps(UUID runId, long from, long to, int points) {
        Long last = jdbc.queryForObject("select max(step) from step_loss where run_id = ? and step between ? and ?",
                Long.class, runId, from, to);
        StepSampler sampler = new StepSampler(points, from, last == null ? from : last);
        jdbc.query("select step, epoch, loss from step_loss where run_id = ? and step between ? and ? order by step",
                rs -> {
                    sampler.add(new MetricRows.Step(rs.getLong(1), rs.getInt(2), dbl(rs, 3)));
                }, runId, from, to);
        return sampler.points();
    }

    private static Instant instant(ResultSet rs, int i) throws SQLException {
        Timestamp t = rs.getTimestamp(i);
        return t == null ? null : t.toInstant();
    }

    static Double dbl(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }
}

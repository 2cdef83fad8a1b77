package io.backprop.jobs;

import io.backprop.runs.RunLedger;
import java.lang.System.Logger.Level;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * At start-up, hands back at once the runs that a dead process on this same host left picked, instead
 * of waiting for their heartbeats to time out. A picked_by of this host whose pid is ours (a restarted
 * container is pid 1 again) or no longer alive cannot be training anything; any other is left to
 * db-scheduler's dead-execution detection.
 */
@Component
class StaleExecutions {

    private static final System.Logger LOG = System.getLogger(StaleExecutions.class.getName());

    private final JdbcTemplate jdbc;
    private final RunLedger ledger;
    private final InstanceName instance;
    private final Clock clock;

    StaleExecutions(JdbcTemplate jdbc, RunLedger ledger, InstanceName instance, Clock clock) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.instance = instance;
        this.clock = clock;
    }

    /** @return how many runs were handed back */
    int releaseThoseOfDeadLocalProcesses() {
        String host = instance.host();
        int released = 0;
        for (Map<String, Object> row : jdbc.queryForList(
                "select task_instance, picked_by from scheduled_tasks where task_name = ? and picked = true",
                SchedulerConfig.TASK_NAME)) {
            String pickedBy = (String) row.get("picked_by");
            String id = (String) row.get("task_instance");
            if (pickedBy == null || !pickedBy.startsWith(host + ":") || !deadOrSelf(pickedBy.substring(host.length() + 1))) {
                continue;
            }
            int updated = jdbc.update("update scheduled_tasks set picked = false, picked_by = null, last_heartbeat = null,"
                            + " execution_time = ?, version = version + 1"
                            + " where task_name = ? and task_instance = ? and picked = true and picked_by = ?",
                    Timestamp.from(clock.instant()), SchedulerConfig.TASK_NAME, id, pickedBy);
            if (updated == 1) {
                ledger.lost(UUID.fromString(id), "instance " + pickedBy + " had stopped (found at start-up)");
                released++;
                LOG.log(Level.WARNING, "run " + id + " was left by the stopped instance " + pickedBy + "; queued again");
            }
        }
        return released;
    }

    private boolean deadOrSelf(String pid) {
        try {
            long p = Long.parseLong(pid);
            return p == ProcessHandle.current().pid() || ProcessHandle.of(p).map(h -> !h.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}

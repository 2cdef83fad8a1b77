package io.backprop.runs;

import io.backprop.identity.RunCounts;
import io.backprop.identity.StorageMeter;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** A tenant's runs as its usage counts them: queued and running runs, and the bytes of weights and checkpoints. */
@Component
class TenantRunUsage implements RunCounts, StorageMeter {

    private final RunRepository runs;
    private final JdbcTemplate jdbc;

    TenantRunUsage(RunRepository runs, JdbcTemplate jdbc) {
        this.runs = runs;
        this.jdbc = jdbc;
    }

    @Override
    public long queued(UUID tenantId) {
        return runs.countByTenantIdAndStatus(tenantId, RunStatus.QUEUED);
    }

    @Override
    public long running(UUID tenantId) {
        return runs.countByTenantIdAndStatus(tenantId, RunStatus.RUNNING);
    }

    @Override
    public long storageBytes(UUID tenantId) {
        Long weights = jdbc.queryForObject("select coalesce(sum(octet_length(w.data)), 0) from run_weights w"
                + " join run r on r.id = w.run_id where r.tenant_id = ?", Long.class, tenantId);
        Long checkpoints = jdbc.queryForObject("select coalesce(sum(octet_length(c.data)), 0) from run_checkpoint c"
                + " join run r on r.id = c.run_id where r.tenant_id = ?", Long.class, tenantId);
        return weights + checkpoints;
    }
}

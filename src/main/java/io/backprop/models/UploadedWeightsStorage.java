package io.backprop.models;

import io.backprop.identity.StorageMeter;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The bytes a tenant's uploaded weights files take. */
@Component
class UploadedWeightsStorage implements StorageMeter {

    private final JdbcTemplate jdbc;

    UploadedWeightsStorage(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public long storageBytes(UUID tenantId) {
        return jdbc.queryForObject("select coalesce(sum(size_bytes), 0) from weights where tenant_id = ?", Long.class, tenantId);
    }
}

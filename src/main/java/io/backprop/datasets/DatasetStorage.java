package io.backprop.datasets;

import io.backprop.identity.StorageMeter;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The bytes a tenant's datasets take as stored (their encoded values). */
@Component
class DatasetStorage implements StorageMeter {

    private final JdbcTemplate jdbc;

    DatasetStorage(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public long storageBytes(UUID tenantId) {
        return jdbc.queryForObject("select coalesce(sum(octet_length(dd.data)), 0) from dataset_data dd"
                + " join dataset d on d.id = dd.dataset_id where d.tenant_id = ?", Long.class, tenantId);
    }
}

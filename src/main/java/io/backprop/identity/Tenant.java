package io.backprop.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A space of its own: datasets, runs and weights that only its keys see, within its quotas. */
@Entity
@Table(name = "tenant")
class Tenant {

    @Id
    private UUID id;
    private String name;
    @Column(name = "max_queued_runs")
    private Integer maxQueuedRuns;
    @Column(name = "max_running_runs")
    private Integer maxRunningRuns;
    @Column(name = "max_storage_bytes")
    private Long maxStorageBytes;
    @Column(name = "created_at")
    private Instant createdAt;

    protected Tenant() {
    }

    Tenant(UUID id, String name, Quotas quotas, Instant createdAt) {
        this.id = id;
        this.name = name;
        this.maxQueuedRuns = quotas.maxQueuedRuns();
        this.maxRunningRuns = quotas.maxRunningRuns();
        this.maxStorageBytes = quotas.maxStorageBytes();
        this.createdAt = createdAt;
    }

    UUID id() {
        return id;
    }

    String name() {
        return name;
    }

    Quotas quotas() {
        return new Quotas(maxQueuedRuns, maxRunningRuns, maxStorageBytes);
    }

    Instant createdAt() {
        return createdAt;
    }
}

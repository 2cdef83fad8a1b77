package io.backprop.studies;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/**
 * A study as stored: its request, status and current rung. Every instance's driver may advance it;
 * the version makes two instances' simultaneous advances collide instead of both acting.
 */
@Entity
@Table(name = "study")
class Study {

    @Id
    private UUID id;
    @Column(name = "tenant_id")
    private UUID tenantId;
    private String name;
    private String request;
    @Enumerated(EnumType.STRING)
    private StudyStatus status;
    private int rung;
    private String reason;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "finished_at")
    private Instant finishedAt;
    @Version
    private long version;

    protected Study() {
    }

    Study(UUID id, UUID tenantId, String name, String request, Instant createdAt) {
        this.id = id;
        this.tenantId = tenantId;
        this.name = name;
        this.request = request;
        this.status = StudyStatus.RUNNING;
        this.createdAt = createdAt;
    }

    void end(StudyStatus end, Instant at, String why) {
        if (status.terminal()) {
            throw new IllegalStateException("study " + id + " has ended already");
        }
        status = end;
        finishedAt = at;
        reason = why;
    }

    void nextRung() {
        rung++;
    }

    UUID id() {
        return id;
    }

    UUID tenantId() {
        return tenantId;
    }

    String name() {
        return name;
    }

    String request() {
        return request;
    }

    StudyStatus status() {
        return status;
    }

    int rung() {
        return rung;
    }

    String reason() {
        return reason;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant finishedAt() {
        return finishedAt;
    }
}

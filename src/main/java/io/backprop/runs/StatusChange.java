package io.backprop.runs;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import java.time.Instant;

/** One entry of a run's status history. */
@Embeddable
public class StatusChange {

    @Enumerated(EnumType.STRING)
    @Column(name = "status")
    private RunStatus status;
    @Column(name = "at")
    private Instant at;
    @Column(name = "reason")
    private String reason;

    protected StatusChange() {
    }

    StatusChange(RunStatus status, Instant at, String reason) {
        this.status = status;
        this.at = at;
        this.reason = reason;
    }

    public RunStatus status() {
        return status;
    }

    public Instant at() {
        return at;
    }

    public String reason() {
        return reason;
    }
}

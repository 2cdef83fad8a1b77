package io.backprop.models;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A safetensors file uploaded to warm-start runs. */
@Entity
@Table(name = "weights")
class UploadedWeights {

    @Id
    private UUID id;
    private UUID tenantId;
    private String tensors;
    private byte[] data;
    private long sizeBytes;
    private Instant createdAt;

    protected UploadedWeights() {
    }

    UploadedWeights(UUID id, UUID tenantId, String tensors, byte[] data, Instant createdAt) {
        this.id = id;
        this.tenantId = tenantId;
        this.tensors = tensors;
        this.data = data;
        this.sizeBytes = data.length;
        this.createdAt = createdAt;
    }

    UUID id() {
        return id;
    }

    String tensors() {
        return tensors;
    }

    byte[] data() {
        return data;
    }
}

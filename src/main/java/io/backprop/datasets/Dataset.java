package io.backprop.datasets;

import io.backprop.config.JsonStringListConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An uploaded dataset's description; its values live in {@link DatasetData}, loaded only to train. */
@Entity
@Table(name = "dataset")
class Dataset {

    @Id
    private UUID id;
    private UUID tenantId;
    private String name;
    @Column(name = "row_count")
    private int rows;
    @Convert(converter = JsonStringListConverter.class)
    private List<String> featureNames;
    @Convert(converter = JsonStringListConverter.class)
    private List<String> labelNames;
    @Enumerated(EnumType.STRING)
    private Task task;
    @Convert(converter = JsonStringListConverter.class)
    private List<String> classes;
    private String sha256;
    private long sizeBytes;
    private Instant createdAt;

    protected Dataset() {
    }

    Dataset(UUID id, UUID tenantId, String name, DatasetTable table, String sha256, long sizeBytes, Instant createdAt) {
        this.id = id;
        this.tenantId = tenantId;
        this.name = name;
        this.rows = table.rows();
        this.featureNames = table.featureNames();
        this.labelNames = table.labelNames();
        this.task = table.task();
        this.classes = table.classes();
        this.sha256 = sha256;
        this.sizeBytes = sizeBytes;
        this.createdAt = createdAt;
    }

    UUID id() {
        return id;
    }

    String name() {
        return name;
    }

    int rows() {
        return rows;
    }

    List<String> featureNames() {
        return featureNames;
    }

    List<String> labelNames() {
        return labelNames;
    }

    Task task() {
        return task;
    }

    List<String> classes() {
        return classes;
    }

    String sha256() {
        return sha256;
    }

    long sizeBytes() {
        return sizeBytes;
    }

    Instant createdAt() {
        return createdAt;
    }
}

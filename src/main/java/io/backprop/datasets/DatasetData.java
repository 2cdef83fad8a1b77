package io.backprop.datasets;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** A dataset's values in {@link DatasetCodec}'s binary form. */
@Entity
@Table(name = "dataset_data")
class DatasetData {

    @Id
    @Column(name = "dataset_id")
    private UUID datasetId;
    private byte[] data;

    protected DatasetData() {
    }

    DatasetData(UUID datasetId, byte[] data) {
        this.datasetId = datasetId;
        this.data = data;
    }

    byte[] data() {
        return data;
    }
}

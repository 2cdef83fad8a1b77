package io.backprop.datasets;

import io.backprop.config.BackpropProperties;
import io.backprop.config.Digests;
import io.backprop.identity.Audit;
import io.backprop.identity.QuotaGuard;
import io.backprop.identity.Tenancy;
import io.backprop.web.ApiException;
import io.backprop.web.FieldErrors;
import io.backprop.web.RequestMemory;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Stores, describes and loads datasets; the one entry point other features use. */
@Service
public class DatasetService {

    private final DatasetRepository datasets;
    private final DatasetDataRepository data;
    private final BuiltinDatasets builtins;
    private final DatasetUsage usage;
    private final BackpropProperties properties;
    private final Clock clock;
    private final Tenancy tenancy;
    private final QuotaGuard quotas;
    private final Audit audit;

    DatasetService(DatasetRepository datasets, DatasetDataRepository data, BuiltinDatasets builtins,
                   DatasetUsage usage, BackpropProperties properties, Clock clock, Tenancy tenancy, QuotaGuard quotas,
                   Audit audit) {
        this.tenancy = tenancy;
        this.quotas = quotas;
        this.audit = audit;
        this.datasets = datasets;
        this.data = data;
        this.builtins = builtins;
        this.usage = usage;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Stores a parsed table for the caller's tenant in one transaction, description and values together
     * or neither, within the tenant's storage quota.
     *
     * @param sha256    the digest of the uploaded file, or null to use the stored encoding's
     * @param sizeBytes the uploaded file's size, or -1 to use the stored encoding's
     */
    @Transactional
    Dataset store(String name, DatasetTable table, String sha256, long sizeBytes) {
        UUID tenant = tenancy.tenantId();
        // the encoding, and the copy the database driver makes of it on the way to the table
        RequestMemory.reserve(2 * 4L * ((long) table.features().length + table.labels().length));
        byte[] encoded = DatasetCodec.encode(table);
        quotas.admitStorage(tenant, encoded.length);
        Dataset dataset = new Dataset(UUID.randomUUID(), tenant, name, table,
                sha256 != null ? sha256 : Digests.sha256(encoded),
                sizeBytes >= 0 ? sizeBytes : encoded.length, clock.instant());
        datasets.save(dataset);
        data.save(new DatasetData(dataset.id(), encoded));
        audit.record("create", "dataset", dataset.id());
        return dataset;
    }

    Dataset get(UUID id) {
        return datasets.findByIdAndTenantId(id, tenancy.tenantId()).orElseThrow(() -> ApiException.notFound("dataset", id));
    }

    Page<Dataset> list(Pageable pageable) {
        return datasets.findByTenantId(tenancy.tenantId(), pageable);
    }

    @Transactional
    void delete(UUID id) {
        Dataset dataset = get(id);
        if (usage.usedByActiveRun(id)) {
            throw ApiException.conflict("dataset " + id + " is used by a queued or running run");
        }
        data.deleteById(id);
        datasets.delete(dataset);
        audit.record("delete", "dataset", id);
    }

    /**
     * Checks a run's dataset reference and describes it without loading uploaded values. An uploaded
     * dataset must be {@code tenantId}'s (another tenant's id is unknown); built-in datasets and
     * generators are everyone's. Problems go into {@code errors} under {@code path}.
     *
     * @return null when the reference is invalid
     */
    public DatasetDescription describe(UUID tenantId, DatasetRef ref, String path, FieldErrors errors) {
        if (ref == null) {
            errors.add(path, "is required");
            return null;
        }
        int given = (ref.id() != null ? 1 : 0) + (ref.builtin() != null ? 1 : 0) + (ref.generator() != null ? 1 : 0);
        if (given != 1) {
            errors.add(path, "give exactly one of id, builtin, generator");
            return null;
        }
        if (ref.id() != null) {
            Dataset d = datasets.findByIdAndTenantId(ref.id(), tenantId).orElse(null);
            if (d == null) {
                errors.add(path + ".id", "no dataset with id " + ref.id());
                return null;
            }
            return new DatasetDescription(d.id(), ref, d.rows(), d.featureNames(), d.labelNames(), d.task(), d.classes());
        }
        if (ref.builtin() != null) {
            if (!builtins.exists(ref.builtin())) {
                errors.add(path + ".builtin", "unknown built-in dataset '" + ref.builtin() + "'; one of "
                        + BuiltinDatasets.NAMES);
                return null;
            }
            DatasetTable t = builtins.load(ref.builtin());
            return new DatasetDescription(null, ref, t.rows(), t.featureNames(), t.labelNames(), t.task(), t.classes());
        }
        GeneratorSpec g = ref.generator();
        String gp = path + ".generator";
        if (g.type() == null || !GeneratorSpec.TYPES.contains(g.type())) {
            errors.add(gp + ".type", "must be one of " + GeneratorSpec.TYPES);
            return null;
        }
        GeneratorSpec r = Generators.resolve(g);
        int before = errors.size();
        if (r.rows() < 1) {
            errors.add(gp + ".rows", "must be at least 1");
        }
        if (r.features() < 1) {
            errors.add(gp + ".features", "must be at least 1");
        }
        if (r.features() > properties.maxFeatures()) {
            errors.add(gp + ".features", "must be at most " + properties.maxFeatures() + " (backprop.max-features)");
        }
        if (r.classes() < 2 || r.classes() > properties.maxClasses()) {
            errors.add(gp + ".classes", "must be between 2 and " + properties.maxClasses() + " (backprop.max-classes)");
        }
        if (!Double.isFinite(r.noise()) || r.noise() < 0) {
            errors.add(gp + ".noise", "must be a finite number >= 0");
        }
        if ((long) r.rows() * r.features() > properties.maxGeneratedValues()) {
            errors.add(gp, "rows × features is " + (long) r.rows() * r.features() + "; at most "
                    + properties.maxGeneratedValues() + " (backprop.max-generated-values)");
        }
        if ((long) r.classes() * r.features() > properties.maxGeneratedValues()) {
            errors.add(gp, "classes × features (the class centers) is " + (long) r.classes() * r.features()
                    + "; at most " + properties.maxGeneratedValues() + " (backprop.max-generated-values)");
        }
        if ((long) r.rows() * r.classes() > properties.maxGeneratedValues()) {
            errors.add(gp, "rows × classes is " + (long) r.rows() * r.classes() + "; at most "
                    + properties.maxGeneratedValues() + " (backprop.max-generated-values)");
        }
        if (errors.size() > before) {
            return null;
        }
        List<String> classes = java.util.stream.IntStream.range(0, r.classes()).mapToObj(Integer::toString).toList();
        List<String> features = java.util.stream.IntStream.range(0, r.features()).mapToObj(i -> "x" + i).toList();
        return new DatasetDescription(null, new DatasetRef(null, null, r), r.rows(), features, List.of("label"),
                Task.CLASSIFICATION, classes);
    }

    /** The values behind a (resolved) reference. */
    @Transactional(readOnly = true)
    public DatasetTable load(DatasetRef ref) {
        if (ref.id() != null) {
            return DatasetCodec.decode(data.findById(ref.id())
                    .orElseThrow(() -> new IllegalStateException("dataset " + ref.id() + " has been deleted"))
                    .data());
        }
        if (ref.builtin() != null) {
            return builtins.load(ref.builtin());
        }
        return Generators.generate(ref.generator());
    }
}

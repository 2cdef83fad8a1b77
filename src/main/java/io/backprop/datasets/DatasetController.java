package io.backprop.datasets;

import io.backprop.config.BackpropProperties;
import io.backprop.config.Digests;
import io.backprop.web.ApiException;
import io.backprop.web.FieldErrors;
import io.backprop.web.FloatRows;
import io.backprop.web.PageBody;
import io.backprop.web.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@RestController
@RequestMapping("/api/v1/datasets")
@Tag(name = "Datasets", description = "Upload, list and delete datasets")
class DatasetController {

    private final DatasetService service;
    private final BackpropProperties properties;
    private final JsonMapper json;

    DatasetController(DatasetService service, BackpropProperties properties, JsonMapper json) {
        this.service = service;
        this.properties = properties;
        this.json = json;
    }

    @Operation(summary = "Upload a CSV dataset (header row; label columns by name, default the last)")
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<DatasetResponse> uploadCsv(@RequestPart("file") MultipartFile file,
                                              @RequestParam(value = "name", required = false) String name,
                                              @RequestParam(value = "label", required = false) String label,
                                              @RequestParam(value = "task", required = false) String task,
                                              @RequestParam(value = "delimiter", required = false) String delimiter)
            throws IOException {
        if (file.getSize() > properties.maxDatasetBytes()) {
            throw ApiException.tooLarge("dataset of " + file.getSize() + " bytes exceeds the limit of "
                    + properties.maxDatasetBytes());
        }
        if (file.isEmpty()) {
            throw ApiException.badRequest("the uploaded file is empty");
        }
        FieldErrors errors = new FieldErrors();
        String resolvedName = name != null ? name : file.getOriginalFilename();
        checkName(resolvedName, "name", errors);
        Task declared = parseTask(task, "task", errors);
        List<String> labels = null;
        if (label != null) {
            labels = Arrays.stream(label.split(",")).map(String::trim).toList();
            if (labels.stream().anyMatch(String::isEmpty)) {
                errors.add("label", "must be comma-separated column names");
            }
        }
        char separator = parseDelimiter(delimiter, errors);
        errors.throwIfAny();
        // streamed from the part (on disk), digested as it is parsed: the file is never a byte[] on the heap
        MessageDigest sha256 = Digests.sha256Digest();
        DatasetTable table;
        try (var in = new DigestInputStream(file.getInputStream(), sha256)) {
            // the parser closes what it reads; the digest still needs whatever follows the last record
            table = CsvDatasetParser.parse(new FilterInputStream(in) {
                @Override
                public void close() {
                }
            }, labels, declared, DatasetLimits.of(properties), separator);
            in.transferTo(OutputStream.nullOutputStream());
        }
        return created(service.store(resolvedName, table, HexFormat.of().formatHex(sha256.digest()),
                file.getSize()));
    }

    @Operation(summary = "Create a dataset from JSON arrays")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<DatasetResponse> createJson(@RequestBody JsonDatasetRequest request) {
        FieldErrors errors = new FieldErrors();
        checkName(request.name(), "$.name", errors);
        Task declared = parseTask(request.task(), "$.task", errors);
        DatasetTable table = JsonDatasets.toTable(request, declared, DatasetLimits.of(properties), errors);
        errors.throwIfAny();
        return created(service.store(request.name(), table, null, -1));
    }

    @Operation(summary = "List datasets, newest first")
    @GetMapping
    PageBody<DatasetResponse> list(@RequestParam(defaultValue = "0") int page,
                                       @RequestParam(defaultValue = "20") int size) {
        Paging.check(page, size);
        Page<Dataset> result = service.list(PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "createdAt")));
        return PageBody.of(result, DatasetResponse::of);
    }

    @Operation(summary = "One dataset")
    @GetMapping("/{id}")
    DatasetResponse get(@PathVariable UUID id) {
        return DatasetResponse.of(service.get(id));
    }

    @Operation(summary = "Delete a dataset (409 while a queued or running run uses it)")
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        service.delete(id);
        return ResponseEntity.noContent().build();
    }

    private static ResponseEntity<DatasetResponse> created(Dataset d) {
        return ResponseEntity.created(java.net.URI.create("/api/v1/datasets/" + d.id())).body(DatasetResponse.of(d));
    }

    private static void checkName(String name, String field, FieldErrors errors) {
        if (name == null || name.isBlank()) {
            errors.add(field, "is required");
        } else if (name.length() > 200) {
            errors.add(field, "must be at most 200 characters");
        }
    }

    /** ',' unless told: one of ',', ';', '|', or a tab (sent as "tab", a tab character or "\t"). */
    private static char parseDelimiter(String delimiter, FieldErrors errors) {
        if (delimiter == null) {
            return ',';
        }
        String d = delimiter.equals("tab") || delimiter.equals("\\t") ? "\t" : delimiter;
        if (d.length() != 1 || CsvDatasetParser.DELIMITERS.indexOf(d.charAt(0)) < 0) {
            errors.add("delimiter", "must be one of ',', ';', '|' or tab");
            return ',';
        }
        return d.charAt(0);
    }

    private static Task parseTask(String task, String field, FieldErrors errors) {
        if (task == null) {
            return null;
        }
        Task t = Task.fromId(task);
        if (t == null) {
            errors.add(field, "must be classification or regression");
        }
        return t;
    }

    /** The JSON form of a dataset upload. */
    record JsonDatasetRequest(String name, List<String> featureNames, FloatRows features, JsonNode labels,
                              String task) {
    }

    record DatasetResponse(UUID id, String name, int rows, List<String> featureNames, List<String> labelNames,
                           Task task, List<String> classes, String sha256, long sizeBytes, Instant createdAt) {
        static DatasetResponse of(Dataset d) {
            return new DatasetResponse(d.id(), d.name(), d.rows(), d.featureNames(), d.labelNames(), d.task(),
                    new ArrayList<>(d.classes()), d.sha256(), d.sizeBytes(), d.createdAt());
        }
    }

}

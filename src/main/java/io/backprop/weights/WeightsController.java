package io.backprop.weights;

import io.backprop.config.Digests;
import io.backprop.models.TrainedModel;
import io.backprop.models.WeightsCatalog;
import io.backprop.web.ApiException;
import io.backprop.web.ETags;
import io.backprop.web.FloatRows;
import io.backprop.web.RequestMemory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@Tag(name = "Weights", description = "Download trained weights, upload weights to warm-start, predict")
class WeightsController {

    private static final MediaType OCTET = MediaType.APPLICATION_OCTET_STREAM;
    private static final String ONNX_TYPE = "application/onnx";

    private final WeightsService weights;
    private final WeightsCatalog catalog;
    private final Predictions predictions;

    WeightsController(WeightsService weights, WeightsCatalog catalog, Predictions predictions) {
        this.weights = weights;
        this.catalog = catalog;
        this.predictions = predictions;
    }

    @Operation(summary = "Trained weights as JSON, safetensors (format=safetensors or Accept: application/octet-stream) "
            + "or ONNX (format=onnx or Accept: application/onnx)")
    @GetMapping("/api/v1/runs/{id}/weights")
    ResponseEntity<?> download(@PathVariable UUID id, @RequestParam(required = false) String format,
                               @RequestParam(required = false) String checkpoint,
                               @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
                               @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        if (format != null && !List.of("json", "safetensors", "onnx").contains(format)) {
            throw ApiException.invalid("format", "must be json, safetensors or onnx");
        }
        if (checkpoint != null && !"latest".equals(checkpoint)) {
            throw ApiException.invalid("checkpoint", "must be latest");
        }
        if ("onnx".equals(format) || (format == null && accept != null && accept.contains(ONNX_TYPE))) {
            return onnx(id, checkpoint != null, ifNoneMatch);
        }
        boolean binary = "safetensors".equals(format)
                || (format == null && accept != null && accept.contains(MediaType.APPLICATION_OCTET_STREAM_VALUE));
        WeightsService.Download d = weights.forRun(id, checkpoint != null);
        String etag = "\"" + d.etag() + (binary ? "" : "-json") + "\"";
        if (ETags.notModified(ifNoneMatch, etag)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
        }
        String base = d.model().spec().name().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + id.toString().substring(0, 8)
                + (checkpoint != null ? "-checkpoint" : "");
        if (binary) {
            return ResponseEntity.ok().contentType(OCTET).eTag(etag)
                    .header(HttpHeaders.CONTENT_DISPOSITION,
                            ContentDisposition.attachment().filename(base + ".safetensors").build().toString())
                    .body(d.safetensors());
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).eTag(etag)
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.inline().filename(base + ".json").build().toString())
                .body(d.model().toJson());
    }

    private ResponseEntity<?> onnx(UUID id, boolean latestCheckpoint, String ifNoneMatch) {
        WeightsService.OnnxFile file = weights.onnx(id, latestCheckpoint);
        String etag = "\"" + Digests.sha256(file.bytes()) + "\"";
        if (ETags.notModified(ifNoneMatch, etag)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
        }
        String name = file.runName().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + id.toString().substring(0, 8)
                + (latestCheckpoint ? "-checkpoint" : "") + ".onnx";
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(ONNX_TYPE)).eTag(etag)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(name).build().toString())
                .body(file.bytes());
    }

    @Operation(summary = "Upload safetensors weights (F32 or F64) to warm-start runs via initialWeights.weightsId")
    @PostMapping(value = "/api/v1/weights", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<WeightsCatalog.Upload> upload(@RequestPart("file") MultipartFile file) throws IOException {
        if (file.isEmpty()) {
            throw ApiException.badRequest("the uploaded file is empty");
        }
        // the file's bytes and the tensors read from them
        RequestMemory.reserve(2 * file.getSize());
        WeightsCatalog.Upload result = catalog.upload(file.getBytes());
        return ResponseEntity.created(URI.create("/api/v1/weights/" + result.weightsId())).body(result);
    }

    @Operation(summary = "Delete uploaded weights (409 while a queued or running run starts from them)")
    @DeleteMapping("/api/v1/weights/{id}")
    ResponseEntity<Void> deleteUpload(@PathVariable UUID id) {
        catalog.delete(id);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Predict with a succeeded run's weights; raw features in, the stored standardization applied")
    @PostMapping(value = "/api/v1/runs/{id}/predictions", consumes = MediaType.APPLICATION_JSON_VALUE)
    Predictions.Response predict(@PathVariable UUID id, @RequestBody PredictionRequest request) {
        return predictions.predict(weights.servedModel(id), request.inputs());
    }

    @Operation(summary = "Predict from raw float32 rows (application/octet-stream: little-endian, row after row) "
            + "for large batches")
    @PostMapping(value = "/api/v1/runs/{id}/predictions", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    Predictions.Response predictBinary(@PathVariable UUID id, InputStream body,
                                       @RequestHeader(value = HttpHeaders.CONTENT_LENGTH, required = false) Long length)
            throws IOException {
        TrainedModel model = weights.servedModel(id);
        return predictions.predictBinary(model, body, length == null ? -1 : length);
    }

    record PredictionRequest(FloatRows inputs) {
    }

}

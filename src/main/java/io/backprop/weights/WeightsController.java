package io.backprop.weights;

import io.backprop.core.Network;
import io.backprop.models.TrainedModel;
import io.backprop.models.WeightsCatalog;
import io.backprop.web.ApiException;
import io.backprop.web.FieldErrors;
import io.backprop.web.FloatRows;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.ejml.data.FMatrixRMaj;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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

    private static final int MAX_PREDICTION_ROWS = 10_000;
    private static final MediaType OCTET = MediaType.APPLICATION_OCTET_STREAM;

    private final WeightsService weights;
    private final WeightsCatalog catalog;
    private final long maxPredictionValues;

    WeightsController(WeightsService weights, WeightsCatalog catalog, io.backprop.config.BackpropProperties properties) {
        this.weights = weights;
        this.catalog = catalog;
        this.maxPredictionValues = properties.maxPredictionValues();
    }

    @Operation(summary = "Trained weights as JSON, or safetensors with format=safetensors or Accept: application/octet-stream")
    @GetMapping("/api/v1/runs/{id}/weights")
    ResponseEntity<?> download(@PathVariable UUID id, @RequestParam(required = false) String format,
                               @RequestParam(required = false) String checkpoint,
                               @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
                               @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        if (format != null && !List.of("json", "safetensors").contains(format)) {
            throw ApiException.invalid("format", "must be json or safetensors");
        }
        if (checkpoint != null && !"latest".equals(checkpoint)) {
            throw ApiException.invalid("checkpoint", "must be latest");
        }
        boolean binary = "safetensors".equals(format)
                || (format == null && accept != null && accept.contains(MediaType.APPLICATION_OCTET_STREAM_VALUE));
        WeightsService.Download d = weights.forRun(id, checkpoint != null);
        String etag = "\"" + d.etag() + (binary ? "" : "-json") + "\"";
        if (etag.equals(ifNoneMatch)) {
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

    @Operation(summary = "Upload safetensors weights (F32 or F64) to warm-start runs via initialWeights.weightsId")
    @PostMapping(value = "/api/v1/weights", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<WeightsCatalog.Upload> upload(@RequestPart("file") MultipartFile file) throws IOException {
        if (file.isEmpty()) {
            throw ApiException.badRequest("the uploaded file is empty");
        }
        WeightsCatalog.Upload result = catalog.upload(file.getBytes());
        return ResponseEntity.created(java.net.URI.create("/api/v1/weights/" + result.weightsId())).body(result);
    }

    @Operation(summary = "Predict with a succeeded run's weights; raw features in, the stored standardization applied")
    @PostMapping(value = "/api/v1/runs/{id}/predictions", consumes = MediaType.APPLICATION_JSON_VALUE)
    PredictionResponse predict(@PathVariable UUID id, @RequestBody PredictionRequest request) {
        TrainedModel model = weights.servedModel(id);
        Network network = model.network();
        int inputs = network.spec().inputs();
        FieldErrors errors = new FieldErrors();
        FloatRows rows = request.inputs();
        if (rows == null || rows.rows() == 0) {
            errors.add("$.inputs", "must be a non-empty array of rows");
        } else if (rows.rows() > MAX_PREDICTION_ROWS) {
            errors.add("$.inputs", "at most " + MAX_PREDICTION_ROWS + " rows per request");
        } else {
            rows.problems().forEach(p -> errors.add("$.inputs" + p.field(), p.message()));
            if (rows.width() != inputs && errors.isEmpty()) {
                errors.add("$.inputs[0]", "must have " + inputs + " values");
            }
            long widest = Math.max(inputs, network.spec().layers().stream().mapToLong(l -> l.units()).max().orElse(0));
            if ((long) rows.rows() * widest > maxPredictionValues) {
                errors.add("$.inputs", rows.rows() + " rows through a layer of " + widest + " units make "
                        + (long) rows.rows() * widest + " values; at most " + maxPredictionValues
                        + " per request (backprop.max-prediction-values): send fewer rows");
            }
        }
        errors.throwIfAny();
        FMatrixRMaj x = new FMatrixRMaj(rows.rows(), inputs);
        System.arraycopy(rows.values(), 0, x.data, 0, rows.rows() * inputs);
        model.preprocessing().applyInPlace(x);
        FMatrixRMaj out = network.predict(x);
        List<float[]> outputs = new ArrayList<>();
        List<Object> labels = new ArrayList<>();
        List<String> classes = model.classes();
        String loss = model.spec().model().loss();
        for (int r = 0; r < out.numRows; r++) {
            float[] row = new float[out.numCols];
            System.arraycopy(out.data, r * out.numCols, row, 0, out.numCols);
            outputs.add(row);
            labels.add(label(row, classes, loss));
        }
        return new PredictionResponse(outputs, "mse".equals(loss) ? null : labels, classes);
    }

    /** The predicted class: argmax for cross_entropy, the 0.5 threshold for sigmoid outputs. */
    private static Object label(float[] row, List<String> classes, String loss) {
        if ("cross_entropy".equals(loss)) {
            int best = 0;
            for (int j = 1; j < row.length; j++) {
                if (row[j] > row[best]) {
                    best = j;
                }
            }
            return classes.get(best);
        }
        if ("binary_cross_entropy".equals(loss)) {
            if (row.length == 1 && classes.size() == 2) {
                return classes.get(row[0] >= 0.5f ? 1 : 0);
            }
            List<String> on = new ArrayList<>();
            for (int j = 0; j < row.length; j++) {
                if (row[j] >= 0.5f) {
                    on.add(classes.get(j));
                }
            }
            return on;
        }
        return null;
    }

    record PredictionRequest(FloatRows inputs) {
    }

    /**
     * @param labels  per row: the predicted class (a list of labels for multi-label); null for regression
     * @param classes what each output unit stands for
     */
    record PredictionResponse(List<float[]> outputs, List<Object> labels, List<String> classes) {
    }
}

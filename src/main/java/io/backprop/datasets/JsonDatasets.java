package io.backprop.datasets;

import io.backprop.web.FieldErrors;
import io.backprop.web.FloatRows;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Validates the JSON form of a dataset and turns it into a table, every bad cell named by path. */
final class JsonDatasets {

    private static final int MAX_REPORTED = 20;

    private JsonDatasets() {
    }

    static DatasetTable toTable(DatasetController.JsonDatasetRequest r, Task declared, DatasetLimits limits,
                                FieldErrors errors) {
        FloatRows features = r.features();
        if (features == null || features.rows() == 0) {
            errors.add("$.features", "must be a non-empty array of rows");
            return null;
        }
        features.problems().forEach(p -> errors.add("$.features" + p.field(), p.message()));
        int width = features.width();
        if (width == 0) {
            return null;
        }
        if (width > limits.maxFeatures()) {
            errors.add("$.features[0]", "has " + width + " features; at most " + limits.maxFeatures()
                    + " are allowed (backprop.max-features)");
            return null;
        }
        int rows = features.rows();
        float[] x = features.values();
        List<String> featureNames = r.featureNames();
        if (featureNames == null) {
            featureNames = new ArrayList<>();
            for (int j = 0; j < width; j++) {
                featureNames.add("x" + j);
            }
        } else if (featureNames.size() != width || featureNames.stream().anyMatch(n -> n == null || n.isBlank())) {
            errors.add("$.featureNames", "must name each of the " + width + " features");
        }
        JsonNode labels = r.labels();
        if (labels == null || !labels.isArray() || labels.size() != rows) {
            errors.add("$.labels", "must be an array with one label (or one array of labels) per row: " + rows);
            return null;
        }
        boolean nested = labels.get(0).isArray();
        int labelWidth = nested ? labels.get(0).size() : 1;
        if (labelWidth == 0) {
            errors.add("$.labels[0]", "must not be empty");
            return null;
        }
        if (!errors.isEmpty()) {
            return null;
        }
        List<String> labelNames = new ArrayList<>();
        if (labelWidth == 1) {
            labelNames.add("label");
        } else {
            for (int j = 0; j < labelWidth; j++) {
                labelNames.add("label" + j);
            }
        }
        LabelEncoder encoder = new LabelEncoder(labelNames, limits.maxClasses(), "$.labels");
        for (int i = 0; i < rows && errors.size() < MAX_REPORTED; i++) {
            JsonNode node = labels.get(i);
            String[] row = new String[labelWidth];
            if (nested) {
                if (!node.isArray() || node.size() != labelWidth) {
                    errors.add("$.labels[" + i + "]", "must be an array of " + labelWidth + " numbers");
                    continue;
                }
                for (int j = 0; j < labelWidth; j++) {
                    row[j] = cell(node.get(j), "$.labels[" + i + "][" + j + "]", errors);
                }
            } else {
                row[0] = cell(node, "$.labels[" + i + "]", errors);
            }
            if (errors.isEmpty()) {
                encoder.add(row, "row " + (i + 1));
            }
        }
        if (!errors.isEmpty()) {
            return null;
        }
        LabelEncoder.Encoded encoded = encoder.finish(declared);
        return new DatasetTable(featureNames, labelNames, encoded.task(), encoded.classes(), rows, x, encoded.labels());
    }

    private static String cell(JsonNode node, String path, FieldErrors errors) {
        if (node.isNumber()) {
            double v = node.asDouble();
            if (!Double.isFinite(v)) {
                errors.add(path, "must be finite");
            }
            return node.asString();
        }
        if (node.isString() && !node.asString().isBlank()) {
            return node.asString();
        }
        errors.add(path, "must be a number or a non-empty string");
        return "";
    }
}

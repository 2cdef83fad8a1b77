package io.backprop.datasets;

import io.backprop.web.FieldErrors;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Validates the JSON form of a dataset and turns it into a table, every bad cell named by path. */
final class JsonDatasets {

    private static final int MAX_REPORTED = 20;

    private JsonDatasets() {
    }

    static DatasetTable toTable(DatasetController.JsonDatasetRequest r, Task declared, FieldErrors errors) {
        List<List<Double>> features = r.features();
        if (features == null || features.isEmpty()) {
            errors.add("$.features", "must be a non-empty array of rows");
            return null;
        }
        int width = features.get(0) == null ? 0 : features.get(0).size();
        if (width == 0) {
            errors.add("$.features[0]", "must be a non-empty array of numbers");
            return null;
        }
        int rows = features.size();
        float[] x = new float[rows * width];
        for (int i = 0; i < rows && errors.size() < MAX_REPORTED; i++) {
            List<Double> row = features.get(i);
            if (row == null || row.size() != width) {
                errors.add("$.features[" + i + "]", "must have " + width + " values like the first row");
                continue;
            }
            for (int j = 0; j < width; j++) {
                Double v = row.get(j);
                if (v == null || !Double.isFinite(v) || Math.abs(v) > Float.MAX_VALUE) {
                    errors.add("$.features[" + i + "][" + j + "]", "must be a finite float32 number");
                } else {
                    x[i * width + j] = v.floatValue();
                }
            }
        }
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
        List<String[]> cells = new ArrayList<>(rows);
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
            cells.add(row);
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
        LabelEncoder.Encoded encoded = LabelEncoder.encode(cells, labelNames, declared, "$.labels");
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

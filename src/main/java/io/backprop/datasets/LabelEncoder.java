package io.backprop.datasets;

import io.backprop.web.ApiException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns raw label cells into the float labels of a {@link DatasetTable}: classes sorted (numeric
 * labels numerically, others as strings), task inferred when not given.
 */
final class LabelEncoder {

    /** At most this many distinct integer values make a numeric single label a classification. */
    static final int MAX_INFERRED_CLASSES = 20;

    private LabelEncoder() {
    }

    record Encoded(Task task, List<String> classes, float[] labels) {
    }

    /**
     * @param cells    rows × labelNames.size() raw strings
     * @param declared the task the client named, or null to infer it
     * @param field    where the labels came from, for error messages
     */
    static Encoded encode(List<String[]> cells, List<String> labelNames, Task declared, String field) {
        int cols = labelNames.size();
        boolean allNumeric = true;
        boolean allInteger = true;
        boolean allBinary = true;
        for (String[] row : cells) {
            for (String cell : row) {
                BigDecimal n = number(cell);
                if (n == null) {
                    allNumeric = false;
                    allInteger = false;
                    allBinary = false;
                } else {
                    boolean integer = n.stripTrailingZeros().scale() <= 0;
                    allInteger &= integer;
                    allBinary &= n.compareTo(BigDecimal.ZERO) == 0 || n.compareTo(BigDecimal.ONE) == 0;
                }
            }
        }
        if (cols > 1) {
            Task task = declared != null ? declared : (allBinary ? Task.CLASSIFICATION : Task.REGRESSION);
            if (task == Task.CLASSIFICATION && !allBinary) {
                throw ApiException.invalid(field, "several label columns as classification (multi-label) must hold only 0 and 1");
            }
            if (!allNumeric) {
                throw ApiException.invalid(field, "several label columns must be numeric");
            }
            float[] labels = new float[cells.size() * cols];
            for (int r = 0; r < cells.size(); r++) {
                for (int c = 0; c < cols; c++) {
                    labels[r * cols + c] = finite(cells.get(r)[c], field, r);
                }
            }
            return new Encoded(task, task == Task.CLASSIFICATION ? labelNames : List.of(), labels);
        }
        Task task = declared;
        if (task == null) {
            boolean numeric = allNumeric;
            long distinct = cells.stream().map(c -> numeric ? number(c[0]).stripTrailingZeros() : c[0]).distinct().count();
            task = !allNumeric || (allInteger && distinct <= MAX_INFERRED_CLASSES) ? Task.CLASSIFICATION : Task.REGRESSION;
        }
        float[] labels = new float[cells.size()];
        if (task == Task.REGRESSION) {
            if (!allNumeric) {
                throw ApiException.invalid(field, "a regression label must be numeric");
            }
            for (int r = 0; r < cells.size(); r++) {
                labels[r] = finite(cells.get(r)[0], field, r);
            }
            return new Encoded(task, List.of(), labels);
        }
        Map<String, Integer> index = new TreeMap<>();
        List<String> classes = new ArrayList<>();
        if (allNumeric) {
            TreeSet<BigDecimal> values = new TreeSet<>();
            cells.forEach(c -> values.add(number(c[0]).stripTrailingZeros()));
            for (BigDecimal v : values) {
                index.put(v.toPlainString(), classes.size());
                classes.add(v.toPlainString());
            }
            for (int r = 0; r < cells.size(); r++) {
                labels[r] = index.get(number(cells.get(r)[0]).stripTrailingZeros().toPlainString());
            }
        } else {
            TreeSet<String> values = new TreeSet<>();
            cells.forEach(c -> values.add(c[0]));
            for (String v : values) {
                index.put(v, classes.size());
                classes.add(v);
            }
            for (int r = 0; r < cells.size(); r++) {
                labels[r] = index.get(cells.get(r)[0]);
            }
        }
        if (classes.size() < 2) {
            throw ApiException.invalid(field, "classification needs at least 2 classes, found " + classes.size());
        }
        return new Encoded(task, classes, labels);
    }

    private static float finite(String cell, String field, int row) {
        float v = Float.parseFloat(cell.trim());
        if (!Float.isFinite(v)) {
            throw ApiException.invalid(field, "label at row " + (row + 1) + " is not a finite float32: " + cell);
        }
        return v;
    }

    static BigDecimal number(String cell) {
        if (cell == null) {
            return null;
        }
        try {
            return new BigDecimal(cell.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

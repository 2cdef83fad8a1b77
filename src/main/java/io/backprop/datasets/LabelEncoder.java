package io.backprop.datasets;

import io.backprop.core.InputRejected;
import io.backprop.web.RequestMemory;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns raw label cells into the float labels of a {@link DatasetTable}, one row at a time: classes
 * sorted (numeric labels numerically, others as strings), task inferred when not given. Each distinct
 * cell is parsed once; a cell keeps 8 bytes (its value and its class code), never its string; at most
 * {@code maxClasses} distinct cells are remembered, so a regression label of a million distinct values
 * costs no more than a class label.
 */
final class LabelEncoder {

    /** At most this many distinct integer values make a numeric single label a classification. */
    static final int MAX_INFERRED_CLASSES = 20;
    /** Longest label cell: class names are shown in every prediction. */
    static final int MAX_LABEL_LENGTH = 200;
    /** Longest cell read as a number; a float32 needs far fewer digits, and BigDecimal is not linear in them. */
    private static final int MAX_NUMBER_LENGTH = 64;
    private static final BigDecimal FLOAT_MAX = new BigDecimal(Float.MAX_VALUE);
    private static final BigDecimal FLOAT_MIN = new BigDecimal(Float.MIN_VALUE);

    record Encoded(Task task, List<String> classes, float[] labels) {
    }

    /** A distinct cell: its class code and, when it is a float32 number, its value. */
    private record Distinct(int code, BigDecimal number) {
    }

    private final List<String> labelNames;
    private final int cols;
    private final int maxClasses;
    private final String field;
    private final Map<String, Distinct> distinct = new HashMap<>();
    private final List<String> distinctInOrder = new ArrayList<>();
    private boolean overflowed;
    private boolean allNumeric = true;
    private boolean allInteger = true;
    private boolean allBinary = true;
    private float[] values = new float[1024];
    private int[] codes = new int[1024];
    private int rows;

    LabelEncoder(List<String> labelNames, int maxClasses, String field) {
        this.labelNames = List.copyOf(labelNames);
        this.cols = labelNames.size();
        this.maxClasses = maxClasses;
        this.field = field;
    }

    /** One row's label cells, {@code where} naming it for errors ("CSV line 7", "row 3"). */
    void add(String[] cells, String where) {
        if (cells.length != cols) {
            throw new IllegalArgumentException("expected " + cols + " label cells");
        }
        long needed = (long) (rows + 1) * cols;
        if (needed > values.length) {
            int grown = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, values.length * 2L));
            values = RequestMemory.resize(values, grown);
            codes = RequestMemory.resize(codes, grown);
        }
        for (int c = 0; c < cols; c++) {
            String cell = cells[c].trim();
            if (cell.length() > MAX_LABEL_LENGTH) {
                throw InputRejected.invalid(field, "label at " + where + " is " + cell.length()
                        + " characters long; labels are at most " + MAX_LABEL_LENGTH);
            }
            Distinct d = distinct.get(cell);
            BigDecimal number;
            if (d != null) {
                number = d.number();
            } else {
                number = number(cell);
                if (!overflowed && distinct.size() < maxClasses) {
                    d = new Distinct(distinct.size(), number);
                    distinct.put(cell, d);
                    distinctInOrder.add(cell);
                } else {
                    overflowed = true;
                }
                if (number == null) {
                    allNumeric = false;
                    allInteger = false;
                    allBinary = false;
                } else {
                    allInteger &= number.stripTrailingZeros().scale() <= 0;
                    allBinary &= number.signum() == 0 || number.compareTo(BigDecimal.ONE) == 0;
                }
            }
            int i = rows * cols + c;
            values[i] = number == null ? Float.NaN : number.floatValue();
            codes[i] = d == null ? -1 : d.code();
        }
        rows++;
    }

    /** @param declared the task the client named, or null to infer it */
    Encoded finish(Task declared) {
        if (cols > 1) {
            Task task = declared != null ? declared : (allBinary ? Task.CLASSIFICATION : Task.REGRESSION);
            if (task == Task.CLASSIFICATION && !allBinary) {
                throw InputRejected.invalid(field, "several label columns as classification (multi-label) must hold only 0 and 1");
            }
            if (!allNumeric) {
                throw InputRejected.invalid(field, "several label columns must be finite float32 numbers");
            }
            return new Encoded(task, task == Task.CLASSIFICATION ? labelNames : List.of(), RequestMemory.resize(values, rows * cols));
        }
        Task task = declared;
        if (task == null) {
            task = !allNumeric || (allInteger && !overflowed && distinctNumbers() <= MAX_INFERRED_CLASSES)
                    ? Task.CLASSIFICATION : Task.REGRESSION;
        }
        if (task == Task.REGRESSION) {
            if (!allNumeric) {
                throw InputRejected.invalid(field, "a regression label must be a finite float32 number");
            }
            return new Encoded(task, List.of(), RequestMemory.resize(values, rows));
        }
        if (overflowed) {
            throw InputRejected.invalid(field, "the label has more than " + maxClasses
                    + " distinct classes (backprop.max-classes)");
        }
        // class index per distinct cell, classes sorted numerically when every label is a number
        int[] classOf = new int[distinctInOrder.size()];
        List<String> classes = allNumeric
                ? rank(cell -> distinct.get(cell).number().stripTrailingZeros(), BigDecimal::toPlainString, classOf)
                : rank(cell -> cell, cell -> cell, classOf);
        if (classes.size() < 2) {
            throw InputRejected.invalid(field, "classification needs at least 2 classes, found " + classes.size());
        }
        float[] labels = new float[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = classOf[codes[r]];
        }
        return new Encoded(task, classes, labels);
    }

    /**
     * The classes in the order of their keys, cells with equal keys one class ("1" and "1.0"); writes
     * each distinct cell's class index into {@code classOf}.
     */
    private <K extends Comparable<K>> List<String> rank(Function<String, K> key, Function<K, String> name, int[] classOf) {
        TreeMap<K, Integer> sorted = new TreeMap<>();
        distinctInOrder.forEach(cell -> sorted.put(key.apply(cell), 0));
        List<String> classes = new ArrayList<>();
        for (Map.Entry<K, Integer> e : sorted.entrySet()) {
            e.setValue(classes.size());
            classes.add(name.apply(e.getKey()));
        }
        for (int i = 0; i < classOf.length; i++) {
            classOf[i] = sorted.get(key.apply(distinctInOrder.get(i)));
        }
        return classes;
    }

    /** How many distinct numeric values the label holds ("1" and "1.0" once). */
    private long distinctNumbers() {
        return distinct.values().stream().map(d -> d.number().stripTrailingZeros()).distinct().count();
    }

    /**
     * The cell as a number when it is one that float32 holds: short enough to parse cheaply, finite and
     * within float32's range (so its plain form stays short too); null otherwise.
     */
    static BigDecimal number(String cell) {
        if (cell == null || cell.isEmpty() || cell.length() > MAX_NUMBER_LENGTH) {
            return null;
        }
        BigDecimal n;
        try {
            n = new BigDecimal(cell);
        } catch (NumberFormatException e) {
            return null;
        }
        BigDecimal abs = n.abs();
        if (abs.compareTo(FLOAT_MAX) > 0 || (n.signum() != 0 && abs.compareTo(FLOAT_MIN) < 0)) {
            return null;
        }
        return n;
    }
}

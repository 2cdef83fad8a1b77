package io.backprop.datasets;

import io.backprop.core.InputRejected;
import io.backprop.web.RequestMemory;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.io.input.BOMInputStream;

/**
 * Reads a CSV with a header row (Apache Commons CSV: RFC 4180 quoting, embedded commas and newlines)
 * into a {@link DatasetTable}. Errors name the line and the column.
 */
final class CsvDatasetParser {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setIgnoreSurroundingSpaces(true)
            .setIgnoreEmptyLines(true)
            .setAllowMissingColumnNames(false)
            .get();

    private CsvDatasetParser() {
    }

    /**
     * The stream past a UTF-8 byte order mark, which spreadsheet programs write before the header (Excel's
     * "CSV UTF-8"); left in, it would become part of the first column's name.
     */
    private static InputStream withoutByteOrderMark(InputStream in) {
        try {
            return BOMInputStream.builder().setInputStream(in).get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The separators a CSV may use: spreadsheets in locales with a decimal comma write ';'. */
    static final String DELIMITERS = ",;\t|";

    static DatasetTable parse(InputStream in, List<String> labelColumns, Task task, DatasetLimits limits) {
        return parse(in, labelColumns, task, limits, ',');
    }

    /**
     * @param labelColumns label column names, or null for the last column
     * @param task         the declared task, or null to infer it
     * @param delimiter    one of {@link #DELIMITERS}
     */
    static DatasetTable parse(InputStream in, List<String> labelColumns, Task task, DatasetLimits limits,
                              char delimiter) {
        Reader reader = new LineLimitReader(new InputStreamReader(withoutByteOrderMark(in), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)),
                limits.maxLineLength());
        CSVParser parser;
        try {
            parser = FORMAT.builder().setDelimiter(delimiter).get().parse(reader);
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            tooLong(e);
            throw InputRejected.malformed("malformed CSV header (line 1): " + message(e));
        }
        try (parser) {
            List<String> header = parser.getHeaderNames();
            if (header.size() < 2) {
                throw InputRejected.malformed("CSV needs a header row with at least two columns (line 1)"
                        + otherDelimiter(header, delimiter));
            }
            if (header.stream().anyMatch(h -> h.chars().anyMatch(Character::isISOControl))) {
                throw InputRejected.malformed("CSV header has a column name with a control character (line 1)");
            }
            if (new HashSet<>(header).size() != header.size() || header.stream().anyMatch(String::isBlank)) {
                throw InputRejected.malformed("CSV header has blank or duplicate column names (line 1)");
            }
            if (header.size() > limits.maxFeatures() + (labelColumns == null ? 1 : labelColumns.size())) {
                throw InputRejected.invalid("file", "the CSV header has " + header.size() + " columns; at most "
                        + limits.maxFeatures() + " feature columns are allowed (backprop.max-features)");
            }
            List<String> labels = labelColumns == null || labelColumns.isEmpty()
                    ? List.of(header.get(header.size() - 1)) : labelColumns;
            Map<String, Integer> positions = parser.getHeaderMap();
            int[] labelIdx = new int[labels.size()];
            for (int i = 0; i < labels.size(); i++) {
                Integer p = positions.get(labels.get(i));
                if (p == null) {
                    throw InputRejected.invalid("label", "no column named '" + labels.get(i) + "' in the CSV header");
                }
                labelIdx[i] = p;
            }
            List<String> featureNames = new ArrayList<>();
            List<Integer> featureIdx = new ArrayList<>();
            for (int c = 0; c < header.size(); c++) {
                final int col = c;
                if (Arrays.stream(labelIdx).noneMatch(l -> l == col)) {
                    featureNames.add(header.get(c));
                    featureIdx.add(c);
                }
            }
            if (featureNames.isEmpty()) {
                throw InputRejected.invalid("label", "every column is a label: no features left");
            }
            int f = featureNames.size();
            int[] featureAt = featureIdx.stream().mapToInt(Integer::intValue).toArray();
            // grows with the rows actually read; the body's size limit bounds it
            RequestMemory.reserve(4L * Math.max(f, 64 * 1024));
            float[] features = new float[Math.max(f, 64 * 1024)];
            LabelEncoder encoder = new LabelEncoder(labels, limits.maxClasses(), "label");
            int rows = 0;
            try {
                for (CSVRecord record : parser) {
                    long line = parser.getCurrentLineNumber();
                    if (record.size() != header.size()) {
                        throw InputRejected.malformed("CSV line " + line + " has " + record.size()
                                + " fields, the header has " + header.size());
                    }
                    if ((long) (rows + 1) * f > Integer.MAX_VALUE - 8) {
                        throw InputRejected.tooLarge("dataset has too many values");
                    }
                    if ((long) (rows + 1) * f > features.length) {
                        features = RequestMemory.resize(features, (int) Math.min(Integer.MAX_VALUE - 8,
                                Math.max((long) (rows + 1) * f, features.length * 2L)));
                    }
                    for (int j = 0; j < f; j++) {
                        String cell = record.get(featureAt[j]);
                        if (cell.length() > limits.maxCellLength()) {
                            throw InputRejected.invalid(featureNames.get(j), "a cell of " + cell.length()
                                    + " characters at CSV line " + line + "; cells are at most " + limits.maxCellLength()
                                    + " (backprop.max-cell-length)");
                        }
                        features[rows * f + j] = parseFeature(cell, featureNames.get(j), line);
                    }
                    String[] ls = new String[labelIdx.length];
                    for (int j = 0; j < labelIdx.length; j++) {
                        ls[j] = record.get(labelIdx[j]);
                        if (ls[j].isEmpty()) {
                            throw InputRejected.invalid(labels.get(j), "missing label at CSV line " + line);
                        }
                    }
                    encoder.add(ls, "CSV line " + line);
                    rows++;
                }
            } catch (UncheckedIOException | IllegalStateException e) {
                tooLong(e);
                throw InputRejected.malformed("malformed CSV at line " + parser.getCurrentLineNumber() + ": "
                        + message(e));
            }
            if (rows == 0) {
                throw InputRejected.malformed("CSV has a header but no data rows");
            }
            LabelEncoder.Encoded encoded = encoder.finish(task);
            return new DatasetTable(featureNames, labels, encoded.task(), encoded.classes(), rows,
                    RequestMemory.resize(features, rows * f), encoded.labels());
        } catch (IOException e) {
            tooLong(e);
            throw InputRejected.malformed("unreadable CSV: " + message(e));
        }
    }

    /** A hint when the one column read holds another separator: the file is likely separated by it. */
    private static String otherDelimiter(List<String> header, char delimiter) {
        String only = header.isEmpty() ? "" : header.get(0);
        for (char d : DELIMITERS.toCharArray()) {
            if (d != delimiter && only.indexOf(d) >= 0) {
                return "; it seems separated by '" + (d == '\t' ? "tab" : String.valueOf(d)) + "': send delimiter="
                        + (d == '\t' ? "tab" : String.valueOf(d));
            }
        }
        return "";
    }

    private static void tooLong(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LineLimitReader.LineTooLong tooLong) {
                throw InputRejected.invalid("file", tooLong.getMessage());
            }
        }
    }

    private static float parseFeature(String cell, String column, long line) {
        float v;
        try {
            if (!decimal(cell)) {
                throw new NumberFormatException();
            }
            v = Float.parseFloat(cell);
        } catch (NumberFormatException e) {
            throw InputRejected.invalid(column, "feature column '" + column + "' is not numeric: '"
                    + abbreviate(cell) + "' at CSV line " + line);
        }
        if (!Float.isFinite(v)) {
            throw InputRejected.invalid(column, "feature column '" + column + "' has a non-finite value '"
                    + abbreviate(cell) + "' at CSV line " + line);
        }
        return v;
    }

    /**
     * Whether a cell holds only what a decimal number is written with (digits, a point, an exponent,
     * signs; blanks around it). {@code Float.parseFloat} also reads Java's own syntax, which no
     * spreadsheet or pandas writes and no other reader takes for a number: {@code 1f}, {@code 2.5d},
     * the hexadecimal {@code 0x1p3}. NaN and the infinities pass, to be refused as non-finite.
     */
    private static boolean decimal(String cell) {
        String t = cell.strip();
        if (t.equals("NaN") || t.endsWith("Infinity")) {
            // numbers, refused below as non-finite, which says more
            return true;
        }
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-' || c <= ' ')) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    private static String message(Exception e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof CharacterCodingException) {
            return "not UTF-8 text";
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}

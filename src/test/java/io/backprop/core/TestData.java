package io.backprop.core;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.ejml.data.FMatrixRMaj;

/** Shared datasets as matrices, with a seeded hold-out split, for the engine's learning tests. */
record TestData(FMatrixRMaj x, FMatrixRMaj y, int classes) {

    /** The last column is the label; classification labels become indices into their sorted set. */
    static TestData load(String file, boolean classification) {
        List<CSVRecord> records;
        try (Reader reader = Files.newBufferedReader(SharedFiles.dataset(file))) {
            records = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader).getRecords();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int cols = records.get(0).size() - 1;
        TreeSet<String> labels = new TreeSet<>();
        records.forEach(r -> labels.add(r.get(cols)));
        List<String> classes = new ArrayList<>(labels);
        FMatrixRMaj x = new FMatrixRMaj(records.size(), cols);
        FMatrixRMaj y = new FMatrixRMaj(records.size(), 1);
        for (int i = 0; i < records.size(); i++) {
            CSVRecord r = records.get(i);
            for (int j = 0; j < cols; j++) {
                x.set(i, j, Float.parseFloat(r.get(j)));
            }
            y.set(i, 0, classification ? classes.indexOf(r.get(cols)) : Float.parseFloat(r.get(cols)));
        }
        return new TestData(x, y, classification ? classes.size() : 0);
    }

    /** [train, test] by a seeded permutation; {@code testFraction} of the rows held out. */
    TestData[] split(double testFraction, long seed) {
        int n = x.numRows;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        new Rng(seed).shuffle(idx, n);
        int test = (int) Math.round(n * testFraction);
        return new TestData[] {rows(idx, test, n), rows(idx, 0, test)};
    }

    private TestData rows(int[] idx, int from, int to) {
        FMatrixRMaj rx = new FMatrixRMaj(to - from, x.numCols);
        FMatrixRMaj ry = new FMatrixRMaj(to - from, y.numCols);
        for (int i = from; i < to; i++) {
            System.arraycopy(x.data, idx[i] * x.numCols, rx.data, (i - from) * x.numCols, x.numCols);
            System.arraycopy(y.data, idx[i] * y.numCols, ry.data, (i - from) * y.numCols, y.numCols);
        }
        return new TestData(rx, ry, classes);
    }

    /** Share of rows whose argmax output is the label. */
    static double accuracy(FMatrixRMaj outputs, FMatrixRMaj labels) {
        int correct = 0;
        for (int r = 0; r < outputs.numRows; r++) {
            int best = 0;
            for (int c = 1; c < outputs.numCols; c++) {
                if (outputs.get(r, c) > outputs.get(r, best)) {
                    best = c;
                }
            }
            if (best == (int) labels.get(r, 0)) {
                correct++;
            }
        }
        return (double) correct / outputs.numRows;
    }
}

package io.backprop.runs;

import java.util.List;

/** The loss history as CSV, one row per epoch or per step; an empty cell where a value is undefined. */
final class MetricsCsv {

    private MetricsCsv() {
    }

    static String epochs(List<MetricRows.Epoch> rows) {
        StringBuilder csv = new StringBuilder("epoch,loss,valLoss,accuracy,valAccuracy,learningRate,durationMs,samplesPerSecond\n");
        for (MetricRows.Epoch e : rows) {
            csv.append(e.epoch()).append(',').append(cell(e.loss())).append(',').append(cell(e.valLoss()))
                    .append(',').append(cell(e.accuracy())).append(',').append(cell(e.valAccuracy())).append(',')
                    .append(cell(e.learningRate())).append(',').append(e.durationMs()).append(',')
                    .append(cell(e.samplesPerSecond())).append('\n');
        }
        return csv.toString();
    }

    static String steps(List<MetricRows.Step> rows) {
        StringBuilder csv = new StringBuilder("step,epoch,loss\n");
        for (MetricRows.Step s : rows) {
            csv.append(s.step()).append(',').append(s.epoch()).append(',').append(cell(s.loss())).append('\n');
        }
        return csv.toString();
    }

    private static String cell(Double v) {
        return v == null ? "" : v.toString();
    }
}

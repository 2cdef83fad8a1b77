package io.backprop.runs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * At most {@code points} steps of a range that keep the curve's shape: the first and the last step
 * always, and from each of {@code (points - 2) / 2} equal-width buckets of steps the lowest and the
 * highest loss (min-max decimation, as plotting libraries do), in step order. Fed one row at a time, it
 * holds two rows per bucket whatever the range's length.
 */
final class StepSampler {

    private final long from;
    private final double width;
    private final MetricRows.Step[] low;
    private final MetricRows.Step[] high;
    private MetricRows.Step first;
    private MetricRows.Step last;

    /** @param points at least 4; {@code from}..{@code to} the inclusive step range that will be fed */
    StepSampler(int points, long from, long to) {
        int buckets = Math.max(1, (points - 2) / 2);
        this.from = from;
        this.width = Math.max(1.0, (to - from + 1) / (double) buckets);
        this.low = new MetricRows.Step[buckets];
        this.high = new MetricRows.Step[buckets];
    }

    void add(MetricRows.Step s) {
        if (first == null) {
            first = s;
        }
        last = s;
        if (s.loss() == null) {
            return;
        }
        int b = (int) Math.min(low.length - 1, Math.max(0, (long) ((s.step() - from) / width)));
        if (low[b] == null || s.loss() < low[b].loss()) {
            low[b] = s;
        }
        if (high[b] == null || s.loss() > high[b].loss()) {
            high[b] = s;
        }
    }

    List<MetricRows.Step> points() {
        List<MetricRows.Step> out = new ArrayList<>();
        if (first == null) {
            return out;
        }
        out.add(first);
        for (int b = 0; b < low.length; b++) {
            if (low[b] != null) {
                out.add(low[b]);
                if (high[b] != low[b]) {
                    out.add(high[b]);
                }
            }
        }
        out.add(last);
        out.sort(Comparator.comparingLong(MetricRows.Step::step));
        List<MetricRows.Step> distinct = new ArrayList<>(out.size());
        for (MetricRows.Step s : out) {
            if (distinct.isEmpty() || distinct.get(distinct.size() - 1).step() != s.step()) {
                distinct.add(s);
            }
        }
        return distinct;
    }
}

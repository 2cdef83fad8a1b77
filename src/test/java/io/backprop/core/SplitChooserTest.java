package io.backprop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/** The split is kept or dropped by the step times the chooser sees (given here, not measured). */
class SplitChooserTest {

    private final SplitChooser chooser = new SplitChooser();
    private long lent;
    private int splitSteps;

    /** Runs {@code steps} steps taking {@code nanos(split ? 1 : 0)}; a split step borrows a helper when {@code lends}. */
    private void steps(int steps, LongUnaryOperator nanos, boolean lends) {
        splitSteps = 0;
        for (int i = 0; i < steps; i++) {
            step(nanos, lends);
        }
    }

    /** Runs steps until the chooser completes its next measurement; returns how many that took. */
    private int untilMeasured(LongUnaryOperator nanos) {
        splitSteps = 0;
        int before = chooser.measurements();
        int steps = 0;
        while (chooser.measurements() == before) {
            step(nanos, true);
            steps++;
        }
        return steps;
    }

    private void step(LongUnaryOperator nanos, boolean lends) {
        boolean split = chooser.splitNext();
        if (split) {
            splitSteps++;
            if (lends) {
                lent++;
            }
        }
        chooser.stepTook(nanos.applyAsLong(split ? 1 : 0), lent);
    }

    @Test
    void warmUpStepsSplitAndTheMeasurementAlternatesBlocks() {
        steps(SplitChooser.WARM_UP, s -> 1000, true);
        assertThat(splitSteps).isEqualTo(SplitChooser.WARM_UP);
        int measurement = untilMeasured(s -> 1000);
        // 1 µs steps: the longest blocks
        assertThat(measurement).isEqualTo(2 * SplitChooser.ROUNDS * SplitChooser.MAX_BLOCK);
        assertThat(splitSteps).isEqualTo(measurement / 2);
    }

    @Test
    void blocksLastAboutTheSameTimeWhateverAStepTakes() {
        steps(SplitChooser.WARM_UP, s -> 1_000_000, true);
        // 1 ms steps: 8 ms blocks of 8 steps
        assertThat(untilMeasured(s -> 1_000_000)).isEqualTo(2 * SplitChooser.ROUNDS * 8);
    }

    @Test
    void stepsLongerThanABlockStillGetTheShortestBlocks() {
        steps(SplitChooser.WARM_UP, s -> SplitChooser.BLOCK_NANOS, true);
        assertThat(untilMeasured(s -> SplitChooser.BLOCK_NANOS)).isEqualTo(2 * SplitChooser.ROUNDS * SplitChooser.MIN_BLOCK);
    }

    @Test
    void theSplitIsKeptWhenSplitStepsAreFaster() {
        untilMeasured(s -> s == 1 ? 700 : 1000);
        assertThat(chooser.split()).isTrue();
        steps(1000, s -> 700, true);
        assertThat(splitSteps).isEqualTo(1000);
    }

    @Test
    void stepsStayOnOneThreadWhenSplitOnesAreSlowerOrAboutAsFast() {
        untilMeasured(s -> s == 1 ? 990 : 1000);
        assertThat(chooser.split()).as("1 %% faster is within the margin").isFalse();
        steps(1000, s -> 1000, true);
        assertThat(splitSteps).isZero();
    }

    @Test
    void itMeasuresSoonAfterTheFirstChoiceThenLessOftenUpToTheLongestGap() {
        long stepNanos = 1_000_000;
        int measurement = 2 * SplitChooser.ROUNDS * 8;
        assertThat(untilMeasured(s -> stepNanos)).isEqualTo(SplitChooser.WARM_UP + measurement);
        long gap = SplitChooser.FIRST_GAP_NANOS;
        for (int i = 0; i < 8; i++) {
            assertThat(untilMeasured(s -> stepNanos)).as("measurement %d", i + 2)
                    .isEqualTo((int) (gap / stepNanos) + measurement);
            gap = Math.min(SplitChooser.MAX_GAP_NANOS, 2 * gap);
        }
        assertThat(gap).isEqualTo(SplitChooser.MAX_GAP_NANOS);
    }

    @Test
    void aRunThatStartsSlowSplitMovesToTheSplitOnceItPays() {
        // the JIT holds the other core at first: split steps are slower, then faster
        untilMeasured(s -> s == 1 ? 1500 : 1000);
        assertThat(chooser.split()).isFalse();
        untilMeasured(s -> s == 1 ? 600 : 1000);
        assertThat(chooser.split()).isTrue();
    }

    @Test
    void aChoiceIsNotChangedForADifferenceWithinTheMargin() {
        untilMeasured(s -> s == 1 ? 700 : 1000);
        untilMeasured(s -> s == 1 ? 1010 : 1000);
        assertThat(chooser.split()).as("solo 1 %% faster").isTrue();
        untilMeasured(s -> s == 1 ? 1100 : 1000);
        assertThat(chooser.split()).as("solo 9 %% faster").isFalse();
        untilMeasured(s -> s == 1 ? 990 : 1000);
        assertThat(chooser.split()).as("split 1 %% faster").isFalse();
    }

    @Test
    void aMeasurementInWhichNoProductWasSplitDecidesNothing() {
        steps(SplitChooser.WARM_UP + 2 * SplitChooser.ROUNDS * SplitChooser.MAX_BLOCK, s -> s == 1 ? 1500 : 1000, false);
        assertThat(chooser.measurements()).isEqualTo(1);
        assertThat(chooser.split()).isTrue();
    }

    @Test
    void theFirstStepsOfEachBlockAreNotTimed() {
        // only the first eighth of each split block is slow (the helpers waking up): not held against the split
        int[] index = {0};
        steps(SplitChooser.WARM_UP, s -> 1000, true);
        untilMeasured(s -> {
            int i = index[0]++;
            return s == 1 ? (i % SplitChooser.MAX_BLOCK < SplitChooser.MAX_BLOCK / 8 ? 1_000_000 : 800) : 1000;
        });
        assertThat(chooser.split()).isTrue();
    }
}

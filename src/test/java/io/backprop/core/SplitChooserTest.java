package io.backprop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/** The split is kept or dropped by the step times the chooser sees (given here, not measured). */
class SplitChooserTest {

    private static final int MEASUREMENT = 2 * SplitChooser.ROUNDS * SplitChooser.BLOCK;

    private final SplitChooser chooser = new SplitChooser();
    private long lent;
    private int splitSteps;

    /** Runs {@code steps} steps taking {@code nanos(split ? 1 : 0)}; a split step borrows a helper when {@code lends}. */
    private void steps(int steps, LongUnaryOperator nanos, boolean lends) {
        splitSteps = 0;
        for (int i = 0; i < steps; i++) {
            boolean split = chooser.splitNext();
            if (split) {
                splitSteps++;
                if (lends) {
                    lent++;
                }
            }
            chooser.stepTook(nanos.applyAsLong(split ? 1 : 0), lent);
        }
    }

    @Test
    void warmUpStepsSplitAndTheMeasurementAlternatesBlocks() {
        steps(SplitChooser.WARM_UP, s -> 1000, true);
        assertThat(splitSteps).isEqualTo(SplitChooser.WARM_UP);
        steps(MEASUREMENT, s -> 1000, true);
        assertThat(splitSteps).isEqualTo(MEASUREMENT / 2);
    }

    @Test
    void theSplitIsKeptWhenSplitStepsAreFaster() {
        steps(SplitChooser.WARM_UP + MEASUREMENT, s -> s == 1 ? 700 : 1000, true);
        assertThat(chooser.split()).isTrue();
        steps(100, s -> 700, true);
        assertThat(splitSteps).isEqualTo(100);
    }

    @Test
    void stepsStayOnOneThreadWhenSplitOnesAreSlowerOrAboutAsFast() {
        steps(SplitChooser.WARM_UP + MEASUREMENT, s -> s == 1 ? 990 : 1000, true);
        assertThat(chooser.split()).as("1 %% faster is within the margin").isFalse();
        steps(SplitChooser.RECHECK, s -> 1000, true);
        assertThat(splitSteps).isZero();
    }

    @Test
    void itMeasuresAgainAfterTheRecheckIntervalAndFollowsTheMachine() {
        steps(SplitChooser.WARM_UP + MEASUREMENT, s -> s == 1 ? 1500 : 1000, true);
        assertThat(chooser.split()).isFalse();
        steps(SplitChooser.RECHECK + MEASUREMENT, s -> s == 1 ? 600 : 1000, true);
        assertThat(chooser.split()).isTrue();
    }

    @Test
    void aChoiceIsNotChangedForADifferenceWithinTheMargin() {
        steps(SplitChooser.WARM_UP + MEASUREMENT, s -> s == 1 ? 700 : 1000, true);
        steps(SplitChooser.RECHECK + MEASUREMENT, s -> s == 1 ? 1010 : 1000, true);
        assertThat(chooser.split()).as("solo 1 %% faster").isTrue();
        steps(SplitChooser.RECHECK + MEASUREMENT, s -> s == 1 ? 1100 : 1000, true);
        assertThat(chooser.split()).as("solo 9 %% faster").isFalse();
        steps(SplitChooser.RECHECK + MEASUREMENT, s -> s == 1 ? 990 : 1000, true);
        assertThat(chooser.split()).as("split 1 %% faster").isFalse();
    }

    @Test
    void aMeasurementInWhichNoProductWasSplitDecidesNothing() {
        steps(SplitChooser.WARM_UP + MEASUREMENT, s -> s == 1 ? 1500 : 1000, false);
        assertThat(chooser.split()).isTrue();
    }

    @Test
    void theFirstStepOfEachBlockIsNotTimed() {
        // only the first step of each split block is slow (the helpers waking up): not held against the split
        int[] index = {0};
        steps(SplitChooser.WARM_UP, s -> 1000, true);
        steps(MEASUREMENT, s -> {
            int i = index[0]++;
            return s == 1 ? (i % SplitChooser.BLOCK == 0 ? 1_000_000 : 800) : 1000;
        }, true);
        assertThat(chooser.split()).isTrue();
    }
}

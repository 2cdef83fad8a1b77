package io.backprop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Learning-rate schedules follow torch.optim.lr_scheduler's closed forms, stepped per epoch. */
class ScheduleSpecTest {

    @Test
    void stepDecaysByGammaEveryStepSizeEpochs() {
        ScheduleSpec s = new ScheduleSpec("step", 3, 0.5, 0, 0, 0);
        assertThat(s.learningRate(0.1, 0, 0, 10)).isEqualTo(0.1);
        assertThat(s.learningRate(0.1, 2, 99, 10)).isEqualTo(0.1);
        assertThat(s.learningRate(0.1, 3, 99, 10)).isCloseTo(0.05, within(1e-15));
        assertThat(s.learningRate(0.1, 7, 99, 10)).isCloseTo(0.025, within(1e-15));
    }

    @Test
    void exponentialDecaysByGammaEveryEpoch() {
        ScheduleSpec s = new ScheduleSpec("exponential", 1, 0.9, 0, 0, 0);
        assertThat(s.learningRate(1.0, 4, 0, 10)).isCloseTo(Math.pow(0.9, 4), within(1e-15));
    }

    @Test
    void cosineAnnealsFromTheBaseRateToTheFloorOverThePeriod() {
        ScheduleSpec s = new ScheduleSpec("cosine", 1, 1, 0.001, 0, 0);
        assertThat(s.learningRate(0.1, 0, 0, 10)).isCloseTo(0.1, within(1e-15));
        assertThat(s.learningRate(0.1, 5, 0, 10)).isCloseTo(0.001 + 0.099 / 2, within(1e-15));
        assertThat(s.learningRate(0.1, 10, 0, 10)).isCloseTo(0.001, within(1e-15));
        ScheduleSpec shortPeriod = new ScheduleSpec("cosine", 1, 1, 0, 4, 0);
        assertThat(shortPeriod.learningRate(0.1, 2, 0, 10)).isCloseTo(0.05, within(1e-15));
    }

    @Test
    void warmUpRisesLinearlyOverItsStepsThenLeavesTheScheduleAlone() {
        ScheduleSpec s = new ScheduleSpec("constant", 1, 1, 0, 0, 4);
        assertThat(s.learningRate(0.1, 0, 0, 10)).isCloseTo(0.025, within(1e-15));
        assertThat(s.learningRate(0.1, 0, 1, 10)).isCloseTo(0.05, within(1e-15));
        assertThat(s.learningRate(0.1, 0, 3, 10)).isCloseTo(0.1, within(1e-15));
        assertThat(s.learningRate(0.1, 1, 4, 10)).isEqualTo(0.1);
    }

    @Test
    void aScheduledRunReportsTheRateOfEachEpoch() {
        TestData data = TestData.load("iris.csv", true);
        ModelSpec model = new ModelSpec(4, java.util.List.of(LayerSpec.of(8, Activation.RELU),
                LayerSpec.of(3, Activation.SOFTMAX)), Loss.CROSS_ENTROPY, null);
        TrainingConfig config = new TrainingConfig(4, 50, true, 1, 0, true, null,
                new ScheduleSpec("step", 2, 0.1, 0, 0, 0), null);
        Trainer trainer = new Trainer(model, OptimizerSpec.defaults("sgd", 0.5), config, data.x(), data.y(), null);
        java.util.List<Double> rates = new java.util.ArrayList<>();
        trainer.train(new TrainingListener() {
            @Override
            public void onEpoch(EpochEvent event) {
                rates.add(event.learningRate());
            }
        }, () -> false);
        assertThat(rates).hasSize(4);
        assertThat(rates.get(0)).isEqualTo(0.5);
        assertThat(rates.get(1)).isEqualTo(0.5);
        assertThat(rates.get(2)).isCloseTo(0.05, within(1e-12));
        assertThat(rates.get(3)).isCloseTo(0.05, within(1e-12));
    }
}

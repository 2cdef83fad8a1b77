package io.backprop.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.backprop.core.Checkpoint;
import io.backprop.core.EpochEvent;
import io.backprop.core.StepEvent;
import io.backprop.core.Trainer;
import io.backprop.runs.MetricRows;
import io.backprop.runs.RunLedger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.context.ApplicationEventPublisher;

/**
 * When the recorder writes, decided by the injected clock: steps are buffered and flushed every
 * {@code flushInterval}, a checkpoint is written mid-epoch every {@code checkpointInterval} and at every
 * epoch's end, and each write carries exactly the steps buffered since the last one.
 */
class RunRecorderTest {

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-29T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private static final UUID RUN = UUID.fromString("5f0c6a52-2f4e-4d52-9a43-1f0a3c1f2b7e");
    private final MutableClock clock = new MutableClock();
    private final RunLedger ledger = mock(RunLedger.class);
    private final Trainer trainer = mock(Trainer.class);
    private final DatabaseRetry retry = mock(DatabaseRetry.class);
    private RunRecorder recorder;

    @BeforeEach
    void recorder() {
        when(trainer.stepsPerEpoch()).thenReturn(100);
        Checkpoint checkpoint = mock(Checkpoint.class);
        when(checkpoint.encode()).thenReturn(new byte[] {1, 2, 3});
        when(trainer.checkpoint()).thenReturn(checkpoint);
        doAnswer(call -> {
            call.<Runnable>getArgument(1).run();
            return null;
        }).when(retry).run(anyString(), any());
        recorder = new RunRecorder(RUN, 1, "r", trainer, ledger, clock, Duration.ofSeconds(1), Duration.ofSeconds(10),
                "val_loss", mock(ApplicationEventPublisher.class), retry);
    }

    private void step(long globalStep, Duration after) {
        clock.advance(after);
        recorder.onStep(new StepEvent(1, (int) globalStep, 100, globalStep, 0.5, 0.01, 8));
    }

    @SuppressWarnings("unchecked")
    private static ArgumentCaptor<List<MetricRows.Step>> steps() {
        return ArgumentCaptor.forClass(List.class);
    }

    @Test
    void stepsWaitForTheFlushIntervalThenGoOutTogether() {
        step(1, Duration.ofMillis(400));
        step(2, Duration.ofMillis(400));
        verifyNoInteractions(ledger);

        step(3, Duration.ofMillis(200));
        var written = steps();
        verify(ledger).recordSteps(eq(RUN), eq(1), written.capture(), any());
        assertThat(written.getValue()).extracting(MetricRows.Step::step).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aCheckpointIsWrittenMidEpochOnceItsIntervalHasPassedWithTheStepsSinceTheLastFlush() {
        step(1, Duration.ofSeconds(1));
        step(2, Duration.ofMillis(100));
        step(3, Duration.ofSeconds(9));
        var written = steps();
        verify(ledger).recordCheckpoint(eq(RUN), eq(1), isNull(), written.capture(), any(), anyInt(), anyLong(), any());
        assertThat(written.getValue()).extracting(MetricRows.Step::step).containsExactly(2L, 3L);
    }

    @Test
    void everyEpochEndIsACheckpointWithItsRowWhateverTheClockSays() {
        step(1, Duration.ofMillis(10));
        recorder.onEpoch(new EpochEvent(1, 5, 0.4, 0.3, 0.9, 0.92, 0.01, 2_000_000_000L, 800, 1, 0.3));
        ArgumentCaptor<MetricRows.Epoch> row = ArgumentCaptor.forClass(MetricRows.Epoch.class);
        var written = steps();
        verify(ledger).recordCheckpoint(eq(RUN), eq(1), row.capture(), written.capture(), any(), anyInt(), anyLong(), any());
        assertThat(row.getValue().durationMs()).isEqualTo(2000);
        assertThat(row.getValue().samplesPerSecond()).isEqualTo(400.0);
        assertThat(written.getValue()).extracting(MetricRows.Step::step).containsExactly(1L);
    }
}

package io.backprop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CorePoolTest {

    @AfterEach
    void normal() {
        CorePool.fixThreads(0);
    }

    @Test
    void everyPartRunsOnceAndTheCallerRunsPartZeroAndThePartsNoHelperHasStarted() {
        CorePool.fixThreads(3);
        Thread caller = Thread.currentThread();
        int takenBack = 0;
        for (int round = 0; round < 1_000; round++) {
            AtomicIntegerArray runs = new AtomicIntegerArray(3);
            Thread[] ranOn = new Thread[3];
            int[] seenParts = new int[1];
            // part 0 takes no time, so the caller is often done before a helper has taken its part
            CorePool.forEachPart(8, (part, parts) -> {
                runs.incrementAndGet(part);
                ranOn[part] = Thread.currentThread();
                if (part == 0) {
                    seenParts[0] = parts;
                }
            });
            assertThat(seenParts[0]).isEqualTo(3);
            for (int p = 0; p < 3; p++) {
                assertThat(runs.get(p)).as("part %d in round %d", p, round).isEqualTo(1);
            }
            assertThat(ranOn[0]).isSameAs(caller);
            for (int p = 1; p < 3; p++) {
                assertThat(ranOn[p]).matches(t -> t == caller || t.getName().startsWith("core-helper-"));
            }
            if (ranOn[1] != caller && ranOn[2] != caller) {
                assertThat(ranOn[1]).as("two helpers").isNotSameAs(ranOn[2]);
            }
            takenBack += (ranOn[1] == caller ? 1 : 0) + (ranOn[2] == caller ? 1 : 0);
        }
        assertThat(takenBack).as("parts the caller took back from a helper that had not started").isPositive();
    }

    @Test
    void aPartAHelperHasStartedRunsThereWhileTheCallerWorks() throws InterruptedException {
        CorePool.fixThreads(2);
        CountDownLatch started = new CountDownLatch(1);
        Thread[] ranOn = new Thread[2];
        boolean[] overlapped = new boolean[1];
        CorePool.forEachPart(2, (part, parts) -> {
            ranOn[part] = Thread.currentThread();
            if (part == 1) {
                started.countDown();
            } else {
                try {
                    overlapped[0] = started.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        assertThat(overlapped[0]).as("part 1 ran while part 0 waited for it").isTrue();
        assertThat(ranOn[1]).isNotSameAs(ranOn[0]);
        assertThat(ranOn[1].getName()).startsWith("core-helper-");
    }

    @Test
    void aHelpersFailureIsThrownToTheCallerAndTheHelperComesBack() {
        CorePool.fixThreads(2);
        assertThatThrownBy(() -> CorePool.forEachPart(2, (part, parts) -> {
            if (part == 1) {
                throw new IllegalArgumentException("part 1 failed");
            }
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("part 1 failed");
        long lent = CorePool.lent();
        int[] parts = new int[1];
        CorePool.forEachPart(2, (part, of) -> parts[0] = of);
        assertThat(parts[0]).isEqualTo(2);
        assertThat(CorePool.lent() - lent).isEqualTo(1);
    }

    @Test
    void aPassWithOnePartRunsOnTheCallerAlone() {
        long lent = CorePool.lent();
        Thread caller = Thread.currentThread();
        CorePool.forEachPart(1, (part, parts) -> {
            assertThat(Thread.currentThread()).isSameAs(caller);
            assertThat(parts).isEqualTo(1);
        });
        assertThat(CorePool.lent()).isEqualTo(lent);
    }
}

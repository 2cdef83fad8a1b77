package io.backprop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CorePoolTest {

    @AfterEach
    void normal() {
        CorePool.fixThreads(0);
    }

    @Test
    void everyPartRunsOnceAndTheCallerRunsPartZero() {
        CorePool.fixThreads(3);
        for (int round = 0; round < 1_000; round++) {
            AtomicIntegerArray runs = new AtomicIntegerArray(3);
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            Thread caller = Thread.currentThread();
            int[] seenParts = new int[1];
            CorePool.forEachPart(8, (part, parts) -> {
                runs.incrementAndGet(part);
                threads.add(Thread.currentThread());
                if (part == 0) {
                    seenParts[0] = parts;
                    assertThat(Thread.currentThread()).isSameAs(caller);
                }
            });
            assertThat(seenParts[0]).isEqualTo(3);
            for (int p = 0; p < 3; p++) {
                assertThat(runs.get(p)).as("part %d in round %d", p, round).isEqualTo(1);
            }
            assertThat(threads).hasSize(3);
        }
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

package io.backprop.jobs;

import io.backprop.config.BackpropProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The heap this instance's training runs may hold together ({@code backprop.memory-budget}). A worker
 * reserves its run's estimated peak before training starts and releases it when the attempt ends; a
 * run that does not fit beside the others waits in the queue instead of running the JVM out of memory.
 */
@Component
class MemoryBudget {

    private final long total;
    private long reserved;

    MemoryBudget(BackpropProperties properties, MeterRegistry registry) {
        this.total = properties.effectiveMemoryBudget();
        Gauge.builder("backprop.memory.budget", () -> total).baseUnit("bytes")
                .description("Heap that training runs may use together on this instance").register(registry);
        Gauge.builder("backprop.memory.reserved", this, MemoryBudget::reserved).baseUnit("bytes")
                .description("Heap reserved by the runs training on this instance").register(registry);
    }

    synchronized boolean tryReserve(long bytes) {
        // A run alone always gets its turn: its fit against the whole budget was checked at submission.
        if (reserved > 0 && reserved + bytes > total) {
            return false;
        }
        reserved += bytes;
        return true;
    }

    synchronized void release(long bytes) {
        reserved = Math.max(0, reserved - bytes);
    }

    synchronized long reserved() {
        return reserved;
    }
}

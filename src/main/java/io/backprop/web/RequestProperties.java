package io.backprop.web;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How API reads share the machine with training, under {@code backprop.requests.*} (see {@link ReadGate}).
 *
 * @param concurrency  bodiless API requests served at once while a run trains here; 0 = half the available
 *                     processors, at least one
 * @param queueTimeout how long a request may wait for its turn before it is answered 503
 */
@ConfigurationProperties("backprop.requests")
record RequestProperties(@DefaultValue("0") int concurrency, @DefaultValue("5s") Duration queueTimeout) {

    RequestProperties {
        if (concurrency < 0) {
            throw new IllegalArgumentException("backprop.requests.concurrency must be 0 (half the processors) or more");
        }
        if (queueTimeout.isNegative()) {
            throw new IllegalArgumentException("backprop.requests.queue-timeout must not be negative");
        }
    }

    /**
     * Half the cores by default: measured on two cores (2026-12-02) while a 784-128-10 run trained, one read
     * at a time kept the run at 62-79 % of its speed with a read p99 of 37-43 ms, two at a time at 51-58 %
     * with 47-51 ms, for about 12 % more reads per second.
     */
    int effectiveConcurrency() {
        return concurrency > 0 ? concurrency : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }
}

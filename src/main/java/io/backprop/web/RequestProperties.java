package io.backprop.web;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How API reads share the machine with training, under {@code backprop.requests.*} (see {@link ReadGate}).
 *
 * @param concurrency  bodiless API requests served at once; 0 = the available processors
 * @param queueTimeout how long a request may wait for its turn before it is answered 503
 */
@ConfigurationProperties("backprop.requests")
record RequestProperties(@DefaultValue("0") int concurrency, @DefaultValue("5s") Duration queueTimeout) {

    RequestProperties {
        if (concurrency < 0) {
            throw new IllegalArgumentException("backprop.requests.concurrency must be 0 (the processors) or more");
        }
        if (queueTimeout.isNegative()) {
            throw new IllegalArgumentException("backprop.requests.queue-timeout must not be negative");
        }
    }

    int effectiveConcurrency() {
        return concurrency > 0 ? concurrency : Runtime.getRuntime().availableProcessors();
    }
}

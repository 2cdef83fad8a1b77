package io.backprop.live;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Live streams, under {@code backprop.events.*}.
 *
 * @param pollInterval           how often the instance's one poller reads what workers wrote
 * @param heartbeat              a comment line this often keeps proxies from closing a quiet stream
 * @param retry                  the reconnection delay a client is told ({@code retry:})
 * @param maxStreams             open streams this instance holds; beyond, 503 with Retry-After
 * @param maxRunsPerStream       runs one multiplexed stream may follow
 * @param maxStepEventsPerSecond step events a stream with {@code steps=true} gets at most, per run;
 *                               the steps in between are aggregated (their mean), not dropped
 * @param maxDuration            a stream is closed after this long; the client resumes with Last-Event-ID
 */
@ConfigurationProperties("backprop.events")
public record LiveProperties(@DefaultValue("500ms") Duration pollInterval, @DefaultValue("15s") Duration heartbeat,
                             @DefaultValue("3s") Duration retry, @DefaultValue("2000") int maxStreams,
                             @DefaultValue("20") int maxRunsPerStream, @DefaultValue("4") int maxStepEventsPerSecond,
                             @DefaultValue("30m") Duration maxDuration) {
}

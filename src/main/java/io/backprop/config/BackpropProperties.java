package io.backprop.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Service limits and timings, under {@code backprop.*}.
 *
 * @param workers              worker threads; 0 means the number of available processors
 * @param maxQueuedRuns        queued runs beyond which a submission gets 429
 * @param maxDatasetBytes      largest dataset upload (413 beyond)
 * @param maxParameters        largest model (422 beyond)
 * @param maxGeneratedValues   largest generated dataset, rows × features (422 beyond)
 * @param checkpointInterval   longest time between checkpoints within an epoch
 * @param stepLossFlushInterval how often buffered per-step losses are written
 * @param cancelPollInterval   how often a worker looks for a cancel asked on another instance
 */
@ConfigurationProperties("backprop")
public record BackpropProperties(int workers, int maxQueuedRuns, long maxDatasetBytes, long maxParameters,
                                 int maxEpochs, int maxBatchSize, long maxGeneratedValues,
                                 Duration checkpointInterval, Duration stepLossFlushInterval,
                                 Duration cancelPollInterval, Scheduler scheduler) {

    /**
     * db-scheduler's timings: a dead instance's runs are taken over after about
     * {@code heartbeatInterval × missedHeartbeatsLimit + pollingInterval}.
     */
    public record Scheduler(Duration pollingInterval, Duration heartbeatInterval, int missedHeartbeatsLimit,
                            Duration shutdownMaxWait) {
    }

    public int effectiveWorkers() {
        return workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
    }
}

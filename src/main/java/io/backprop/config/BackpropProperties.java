package io.backprop.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Service limits and timings, under {@code backprop.*}. Every limit is checked from what a request
 * says, before the server allocates for it.
 *
 * @param workers              worker threads; 0 means the number of available processors
 * @param maxQueuedRuns        queued runs beyond which a submission gets 429
 * @param maxDatasetBytes      largest dataset upload (413 beyond)
 * @param maxJsonBytes         largest JSON body, counted as it is read, chunked or not (413 beyond)
 * @param maxParameters        largest model (422 beyond)
 * @param maxGeneratedValues   largest generated dataset, rows × features and rows × classes (422 beyond)
 * @param maxFeatures          most feature columns of a dataset: CSV header, JSON rows, generators (422 beyond)
 * @param maxClasses           most distinct classes of a classification label (422 beyond)
 * @param maxCellLength        longest CSV feature cell, in characters (422 beyond); labels have their own 200
 * @param maxLineLength        longest CSV line, in characters (422 beyond)
 * @param maxPredictionValues  rows × widest layer of one prediction request (422 beyond)
 * @param memoryBudget         heap that training runs may use together; 0 means half the max heap
 * @param modelCacheBytes      parsed models kept for predictions, in bytes
 * @param requestMemoryBudget  heap that requests may hold together while served; 0 means a quarter of the max heap
 * @param requestMemoryWait    how long a request waits for request memory others hold before a 503
 * @param maxAttempts          attempts a run may lose (instance death, long database outage) before it fails
 * @param faultRetryTimeout    how long a worker retries a failing database write before handing the run back
 * @param checkpointInterval   longest time between checkpoints within an epoch
 * @param stepLossFlushInterval how often buffered per-step losses are written
 * @param cancelPollInterval   how often a worker looks for a cancel asked on another instance
 */
@ConfigurationProperties("backprop")
public record BackpropProperties(int workers, int maxQueuedRuns, long maxDatasetBytes,
                                 @DefaultValue("16777216") long maxJsonBytes, long maxParameters,
                                 int maxEpochs, int maxBatchSize, long maxGeneratedValues,
                                 @DefaultValue("100000") int maxFeatures, @DefaultValue("10000") int maxClasses,
                                 @DefaultValue("1000") int maxCellLength, @DefaultValue("8388608") int maxLineLength,
                                 @DefaultValue("20000000") long maxPredictionValues,
                                 @DefaultValue("0") DataSize memoryBudget, @DefaultValue("64MB") DataSize modelCacheBytes,
                                 @DefaultValue("0") DataSize requestMemoryBudget,
                                 @DefaultValue("5s") Duration requestMemoryWait,
                                 @DefaultValue("5") int maxAttempts, @DefaultValue("2m") Duration faultRetryTimeout,
                                 Duration checkpointInterval, Duration stepLossFlushInterval,
                                 Duration cancelPollInterval, Scheduler scheduler) {

    /**
     * db-scheduler's timings: a dead instance's runs are taken over after about
     * {@code heartbeatInterval × missedHeartbeatsLimit + pollingInterval}.
     */
    public record Scheduler(Duration pollingInterval, Duration heartbeatInterval, int missedHeartbeatsLimit,
                            Duration shutdownMaxWait) {

        /** How long an instance may stay silent before another takes its runs over (polling aside). */
        public Duration takeoverTimeout() {
            return heartbeatInterval.multipliedBy(missedHeartbeatsLimit);
        }
    }

    public int effectiveWorkers() {
        return workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
    }

    /** The training memory budget in bytes: as configured, or half the max heap, the rest left to HTTP and caches. */
    public long effectiveMemoryBudget() {
        return memoryBudget.toBytes() > 0 ? memoryBudget.toBytes() : Runtime.getRuntime().maxMemory() / 2;
    }

    /** The request memory budget in bytes: as configured, or a quarter of the max heap, beside training's half. */
    public long effectiveRequestMemoryBudget() {
        return requestMemoryBudget.toBytes() > 0 ? requestMemoryBudget.toBytes() : Runtime.getRuntime().maxMemory() / 4;
    }
}

package io.backprop.identity;

/**
 * A tenant's limits; null means no limit of the tenant's own (the service-wide ones still hold).
 *
 * @param maxQueuedRuns   runs waiting at once; a submission beyond gets 429
 * @param maxRunningRuns  runs training at once; more wait in the queue
 * @param maxStorageBytes datasets, uploaded weights, run weights and checkpoints together; an upload
 *                        beyond gets 429
 */
public record Quotas(Integer maxQueuedRuns, Integer maxRunningRuns, Long maxStorageBytes) {

    static final Quotas NONE = new Quotas(null, null, null);
}

/**
 * Training work: dispatch through db-scheduler, workers, checkpoints, retries, the memory budget.
 */
@ApplicationModule(allowedDependencies = {"config", "core", "datasets", "runs", "models"})
package io.backprop.jobs;

import org.springframework.modulith.ApplicationModule;

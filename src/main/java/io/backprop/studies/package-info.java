/**
 * Studies: hyperparameter searches (grid, random, successive halving) whose trials are ordinary runs,
 * driven from the database by a poller on every instance, so a study outlives any instance.
 */
@ApplicationModule(allowedDependencies = {"config", "identity", "runs", "web"})
package io.backprop.studies;

import org.springframework.modulith.ApplicationModule;

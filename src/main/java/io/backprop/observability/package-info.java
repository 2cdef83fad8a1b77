/**
 * Micrometer metrics, fed by the run and training events.
 */
@ApplicationModule(allowedDependencies = {"config", "core", "identity", "jobs", "runs", "studies"})
package io.backprop.observability;

import org.springframework.modulith.ApplicationModule;

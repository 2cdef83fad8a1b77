/**
 * Runs: specs and their rules, the run entity and its state machine, loss history, lifecycle events.
 */
@ApplicationModule(allowedDependencies = {"config", "core", "datasets", "identity", "web"})
package io.backprop.runs;

import org.springframework.modulith.ApplicationModule;

/**
 * Datasets: CSV and JSON uploads, built-ins, generators, storage.
 */
@ApplicationModule(allowedDependencies = {"config", "core", "identity", "web"})
package io.backprop.datasets;

import org.springframework.modulith.ApplicationModule;

/**
 * Weights over HTTP: downloads, uploads, predictions.
 */
@ApplicationModule(allowedDependencies = {"config", "core", "identity", "runs", "models", "web"})
package io.backprop.weights;

import org.springframework.modulith.ApplicationModule;

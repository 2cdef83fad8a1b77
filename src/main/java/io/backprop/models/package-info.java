/**
 * Trained models: the network with its spec, classes and standardization; safetensors; uploaded weights.
 */
@ApplicationModule(allowedDependencies = {"config", "core", "identity", "runs", "web"})
package io.backprop.models;

import org.springframework.modulith.ApplicationModule;

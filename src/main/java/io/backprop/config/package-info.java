/**
 * Service-wide settings: properties, the clock, digests.
 */
@ApplicationModule(allowedDependencies = {})
package io.backprop.config;

import org.springframework.modulith.ApplicationModule;

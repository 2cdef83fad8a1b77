/**
 * HTTP plumbing every feature shares: problem+json errors, body limits, paging, numeric rows.
 */
@ApplicationModule(allowedDependencies = {"config"})
package io.backprop.web;

import org.springframework.modulith.ApplicationModule;

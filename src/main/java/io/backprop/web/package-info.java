/**
 * HTTP plumbing every feature shares: problem+json errors, body limits, the read gate, paging, numeric rows.
 */
@ApplicationModule(allowedDependencies = {"config", "core"})
package io.backprop.web;

import org.springframework.modulith.ApplicationModule;

/**
 * Live: a Server-Sent Events stream of runs' status changes, epochs and (aggregated) steps, read from
 * the database by one shared poller per instance, so a run training on any instance can be watched
 * from any other; and the web UI's pages.
 */
@ApplicationModule(allowedDependencies = {"config", "identity", "runs", "web"})
package io.backprop.live;

import org.springframework.modulith.ApplicationModule;

/**
 * Who is calling: tenants, their API keys and roles, the security filter chain, quotas and the audit
 * log. Other features ask {@link io.backprop.identity.Tenancy} for the caller's tenant and scope every
 * query by it.
 */
@ApplicationModule(allowedDependencies = {"config", "web"})
package io.backprop.identity;

import org.springframework.modulith.ApplicationModule;

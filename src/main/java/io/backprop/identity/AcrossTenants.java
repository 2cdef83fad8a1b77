package io.backprop.identity;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a repository method of a tenant-owned entity that is deliberately not scoped to a tenant: the
 * workers' and the scheduler's access to a run they were handed by id. Everything a request reaches
 * takes the caller's tenant instead; {@code TenantScopingTest} enforces the difference.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AcrossTenants {

    /** Why this access may ignore the tenant. */
    String value();
}

package io.backprop.identity;

import java.util.UUID;

/** A tenant's queued and running runs, for its usage and quotas; implemented by the runs feature. */
public interface RunCounts {

    long queued(UUID tenantId);

    long running(UUID tenantId);
}

package io.backprop.identity;

import java.util.UUID;

/** Bytes a feature stores for a tenant; the storage quota adds up every feature's meter. */
public interface StorageMeter {

    long storageBytes(UUID tenantId);
}

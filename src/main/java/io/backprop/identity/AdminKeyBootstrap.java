package io.backprop.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * The first admin key, before the server takes requests: the configured {@code backprop.security.admin-key}
 * (a changed one replaces the previous), or on the first start on an empty database a generated one,
 * written to {@code backprop.security.admin-key-file} for its owner only. The log names the file, never
 * the key.
 */
@Component
class AdminKeyBootstrap implements SmartInitializingSingleton {

    static final String CONFIGURED = "admin (backprop.security.admin-key)";
    static final String CONFIGURED_METRICS = "metrics (backprop.security.metrics-key)";
    static final String GENERATED = "admin (generated at first start)";
    private static final System.Logger LOG = System.getLogger(AdminKeyBootstrap.class.getName());

    private final ApiKeys keys;
    private final SecurityProperties properties;

    AdminKeyBootstrap(ApiKeys keys, SecurityProperties properties) {
        this.keys = keys;
        this.properties = properties;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (!properties.enabled()) {
            return;
        }
        configure(properties.metricsKey(), "backprop.security.metrics-key", CONFIGURED_METRICS, Role.METRICS);
        if (configure(properties.adminKey(), "backprop.security.admin-key", CONFIGURED, Role.ADMIN)) {
            return;
        }
        if (keys.none()) {
            ApiKeys.Issued issued = keys.issue(Caller.DEFAULT_TENANT, GENERATED, Role.ADMIN, null);
            Path file = properties.adminKeyFile().toAbsolutePath();
            write(file, issued.key());
            LOG.log(Level.WARNING, "created the admin key of tenant 'default' and wrote it to " + file
                    + " (readable by this user only); create other keys with it, then keep it safe");
        }
    }

    /** Makes {@code value} (if set) the tenant default's key of that name and role, replacing an earlier one. */
    private boolean configure(String value, String property, String name, Role role) {
        if (value == null || value.isBlank()) {
            return false;
        }
        String key = value.strip();
        if (key.length() < ApiKeys.MIN_LENGTH) {
            throw new IllegalStateException(property + " must be at least " + ApiKeys.MIN_LENGTH + " characters");
        }
        if (keys.withMaterial(key).filter(k -> k.revokedAt() == null).isEmpty()) {
            keys.ofTenant(Caller.DEFAULT_TENANT).stream().filter(k -> name.equals(k.name())).forEach(keys::revoke);
            keys.store(Caller.DEFAULT_TENANT, name, role, null, key);
            LOG.log(Level.INFO, "key '" + name + "' of tenant 'default' set from " + property);
        }
        return true;
    }

    private static void write(Path file, String key) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, key + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the admin key to " + file, e);
        }
    }
}

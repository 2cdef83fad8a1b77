package io.backprop.core;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates {@code ../shared}, which sits beside the checkout for developers and CI alike. */
public final class SharedFiles {

    private SharedFiles() {
    }

    public static Path dir() {
        Path dir = Path.of(System.getProperty("backprop.shared.dir", "../shared"));
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("shared material not found at " + dir.toAbsolutePath());
        }
        return dir;
    }

    public static Path golden(String name) {
        return dir().resolve("golden").resolve(name);
    }

    public static Path dataset(String name) {
        return dir().resolve("datasets").resolve(name);
    }
}

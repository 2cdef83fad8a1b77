package io.backprop.core;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A java command line for child JVMs, with the module flags of this one (set once, in the pom). */
public final class TestJvm {

    private TestJvm() {
    }

    /** {@code java --add-modules … <options> -cp <this classpath>}; add the main class and its arguments. */
    public static List<String> command(String... options) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> own = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (int i = 0; i < own.size(); i++) {
            if (own.get(i).equals("--add-modules") && i + 1 < own.size()) {
                command.add(own.get(i));
                command.add(own.get(++i));
            } else if (own.get(i).startsWith("--add-modules=")) {
                command.add(own.get(i));
            }
        }
        command.addAll(List.of(options));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        return command;
    }
}

package io.backprop.datasets;

import io.backprop.core.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * Synthetic datasets, deterministic in their seed (the core's {@link Rng}), after scikit-learn's
 * make_moons, make_blobs and make_classification and the classic XOR and two-spirals problems.
 */
final class Generators {

    private Generators() {
    }

    /** The spec with every default filled in. */
    static GeneratorSpec resolve(GeneratorSpec s) {
        String type = s.type();
        int rows = s.rows() != null ? s.rows() : ("classification".equals(type) ? 10_000 : 1_000);
        int features = switch (type) {
            case "xor", "moons", "spirals" -> 2;
            default -> s.features() != null ? s.features() : ("classification".equals(type) ? 20 : 2);
        };
        int classes = switch (type) {
            case "xor", "moons" -> 2;
            case "spirals" -> s.classes() != null ? s.classes() : 2;
            default -> s.classes() != null ? s.classes() : 3;
        };
        double noise = s.noise() != null ? s.noise() : switch (type) {
            case "xor", "moons" -> 0.1;
            case "spirals" -> 0.05;
            default -> 1.0;
        };
        long seed = s.seed() != null ? s.seed() : 0L;
        return new GeneratorSpec(type, rows, features, classes, noise, seed);
    }

    static DatasetTable generate(GeneratorSpec spec) {
        GeneratorSpec s = resolve(spec);
        int n = s.rows();
        int f = s.features();
        int c = s.classes();
        double noise = s.noise();
        Rng rng = new Rng(s.seed());
        float[] x = new float[n * f];
        float[] y = new float[n];
        switch (s.type()) {
            case "xor" -> {
                for (int i = 0; i < n; i++) {
                    int a = rng.nextInt(2);
                    int b = rng.nextInt(2);
                    x[i * 2] = (float) (a + noise * rng.nextGaussian());
                    x[i * 2 + 1] = (float) (b + noise * rng.nextGaussian());
                    y[i] = a ^ b;
                }
            }
            case "moons" -> {
                for (int i = 0; i < n; i++) {
                    int label = i % 2;
                    double t = Math.PI * rng.nextDouble();
                    double px = label == 0 ? Math.cos(t) : 1 - Math.cos(t);
                    double py = label == 0 ? Math.sin(t) : 0.5 - Math.sin(t);
                    x[i * 2] = (float) (px + noise * rng.nextGaussian());
                    x[i * 2 + 1] = (float) (py + noise * rng.nextGaussian());
                    y[i] = label;
                }
            }
            case "spirals" -> {
                for (int i = 0; i < n; i++) {
                    int label = i % c;
                    double t = rng.nextDouble();
                    double angle = 4 * Math.PI * t + 2 * Math.PI * label / c;
                    x[i * 2] = (float) (t * Math.cos(angle) + noise * rng.nextGaussian());
                    x[i * 2 + 1] = (float) (t * Math.sin(angle) + noise * rng.nextGaussian());
                    y[i] = label;
                }
            }
            default -> {
                // blobs: centers uniform in [-10, 10]^f; classification: centers N(0, 1)^f, closer together
                boolean blobs = "blobs".equals(s.type());
                float[] centers = new float[c * f];
                for (int i = 0; i < centers.length; i++) {
                    centers[i] = (float) (blobs ? rng.nextDouble() * 20 - 10 : rng.nextGaussian());
                }
                for (int i = 0; i < n; i++) {
                    int label = i % c;
                    for (int j = 0; j < f; j++) {
                        x[i * f + j] = (float) (centers[label * f + j] + noise * rng.nextGaussian());
                    }
                    y[i] = label;
                }
            }
        }
        List<String> featureNames = new ArrayList<>();
        for (int j = 0; j < f; j++) {
            featureNames.add("x" + j);
        }
        List<String> classNames = new ArrayList<>();
        for (int k = 0; k < c; k++) {
            classNames.add(Integer.toString(k));
        }
        return new DatasetTable(featureNames, List.of("label"), Task.CLASSIFICATION, classNames, n, x, y);
    }
}

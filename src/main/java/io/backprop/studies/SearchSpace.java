package io.backprop.studies;

import io.backprop.web.FieldErrors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The trials' parameters: every combination of {@code values} domains for a grid, or draws from a
 * seeded generator (the same seed, the same trials); and their application to the base spec by path.
 */
final class SearchSpace {

    static final int MAX_TRIALS = 1000;
    private static final Pattern PATH = Pattern.compile("[A-Za-z]+(\\[\\d+])?(\\.[A-Za-z]+(\\[\\d+])?)*");

    private SearchSpace() {
    }

    /** Checks every domain; problems go to {@code errors} under {@code $.space['path']}. */
    static void check(Map<String, StudyRequest.Domain> space, String strategy, FieldErrors errors) {
        if (space == null || space.isEmpty()) {
            errors.add("$.space", "is required: at least one path and its domain");
            return;
        }
        if (space.size() > 50) {
            errors.add("$.space", "at most 50 paths");
        }
        space.forEach((path, d) -> {
            String at = "$.space['" + path + "']";
            if (!PATH.matcher(path).matches() || path.length() > 200) {
                errors.add(at, "must be a spec path such as optimizer.learningRate or model.layers[0].units");
                return;
            }
            int given = (d == null ? 0 : (d.values() != null ? 1 : 0) + (d.uniform() != null ? 1 : 0)
                    + (d.logUniform() != null ? 1 : 0) + (d.intUniform() != null ? 1 : 0));
            if (given != 1) {
                errors.add(at, "give exactly one of values, uniform, logUniform, intUniform");
                return;
            }
            if (d.values() != null) {
                if (d.values().isEmpty() || d.values().size() > 100) {
                    errors.add(at + ".values", "must hold 1 to 100 values");
                }
            } else if ("grid".equals(strategy)) {
                errors.add(at, "a grid needs values; uniform, logUniform and intUniform are for random and asha");
            } else if (d.uniform() != null) {
                range(d.uniform(), at + ".uniform", false, errors);
            } else if (d.logUniform() != null) {
                range(d.logUniform(), at + ".logUniform", true, errors);
            } else if (d.intUniform().size() != 2 || d.intUniform().get(0) > d.intUniform().get(1)) {
                errors.add(at + ".intUniform", "must be [lo, hi] with lo <= hi");
            }
        });
    }

    private static void range(List<Double> r, String at, boolean positive, FieldErrors errors) {
        if (r.size() != 2 || r.get(0) == null || r.get(1) == null || !Double.isFinite(r.get(0))
                || !Double.isFinite(r.get(1)) || r.get(0) > r.get(1) || (positive && r.get(0) <= 0)) {
            errors.add(at, "must be [lo, hi] with lo <= hi" + (positive ? " and lo > 0" : ""));
        }
    }

    /** Every combination, in order (the first path varies slowest), at most {@code maxTrials}. */
    static List<Map<String, Object>> grid(Map<String, StudyRequest.Domain> space, int maxTrials) {
        List<Map<String, Object>> trials = new ArrayList<>();
        trials.add(new LinkedHashMap<>());
        for (var e : space.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> partial : trials) {
                for (Object v : e.getValue().values()) {
                    Map<String, Object> t = new LinkedHashMap<>(partial);
                    t.put(e.getKey(), v);
                    next.add(t);
                    if (next.size() > MAX_TRIALS) {
                        return next;
                    }
                }
            }
            trials = next;
        }
        return trials.size() > maxTrials ? trials.subList(0, maxTrials) : trials;
    }

    /** {@code count} draws from a generator seeded with {@code seed}. */
    static List<Map<String, Object>> random(Map<String, StudyRequest.Domain> space, int count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Map<String, Object>> trials = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Object> t = new LinkedHashMap<>();
            space.forEach((path, d) -> t.put(path, draw(d, rng)));
            trials.add(t);
        }
        return trials;
    }

    private static Object draw(StudyRequest.Domain d, SplittableRandom rng) {
        if (d.values() != null) {
            return d.values().get(rng.nextInt(d.values().size()));
        }
        if (d.uniform() != null) {
            return d.uniform().get(0) + rng.nextDouble() * (d.uniform().get(1) - d.uniform().get(0));
        }
        if (d.logUniform() != null) {
            double lo = Math.log(d.logUniform().get(0));
            double hi = Math.log(d.logUniform().get(1));
            return Math.exp(lo + rng.nextDouble() * (hi - lo));
        }
        return d.intUniform().get(0) + rng.nextLong(d.intUniform().get(1) - d.intUniform().get(0) + 1);
    }

    /**
     * The base spec with each path set to its value.
     *
     * @throws IllegalArgumentException naming the path that does not exist in the spec
     */
    static ObjectNode apply(ObjectNode base, Map<String, Object> params, ObjectMapper json) {
        ObjectNode spec = base.deepCopy();
        params.forEach((path, value) -> {
            String[] parts = path.split("\\.");
            JsonNode node = spec;
            for (int i = 0; i < parts.length; i++) {
                String part = parts[i];
                int bracket = part.indexOf('[');
                String field = bracket < 0 ? part : part.substring(0, bracket);
                boolean last = i == parts.length - 1;
                if (!(node instanceof ObjectNode object)) {
                    throw new IllegalArgumentException(path);
                }
                if (bracket < 0) {
                    if (last) {
                        object.set(field, json.valueToTree(value));
                        return;
                    }
                    if (!object.has(field) || object.get(field).isNull()) {
                        object.putObject(field);
                    }
                    node = object.get(field);
                } else {
                    int index = Integer.parseInt(part.substring(bracket + 1, part.length() - 1));
                    if (!(object.get(field) instanceof ArrayNode array) || index >= array.size()) {
                        throw new IllegalArgumentException(path);
                    }
                    if (last) {
                        array.set(index, json.valueToTree(value));
                        return;
                    }
                    node = array.get(index);
                }
            }
        });
        return spec;
    }
}

package io.backprop.models;

import io.backprop.core.InputRejected;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The safetensors format (huggingface.co/docs/safetensors): an 8-byte little-endian header length,
 * a JSON header of {@code name -> {dtype, shape, data_offsets}} plus string {@code __metadata__},
 * then the raw little-endian tensor bytes. Reading treats every file as hostile: sizes, offsets and
 * shapes are checked before anything is allocated.
 */
public final class Safetensors {

    static final long MAX_HEADER = 16L * 1024 * 1024;
    /** Two per layer of the largest model a spec allows, with room to spare. */
    static final int MAX_TENSORS = 1000;
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(tools.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private Safetensors() {
    }

    /** A tensor's values widened to double, whatever its stored dtype (F32 or F64). */
    public record Tensor(String dtype, long[] shape, double[] values) {
    }

    public record File(Map<String, String> metadata, Map<String, Tensor> tensors) {
    }

    /** Writes F32 tensors in the given order. */
    public static byte[] writeF32(Map<String, long[]> shapes, Map<String, float[]> data, Map<String, String> metadata) {
        ObjectNode header = JSON.createObjectNode();
        ObjectNode meta = header.putObject("__metadata__");
        metadata.forEach(meta::put);
        long offset = 0;
        for (var e : shapes.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            for (long d : e.getValue()) {
                shape.add(d);
            }
            long bytes = 4L * data.get(e.getKey()).length;
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(padded);
        buf.put(json);
        for (int i = json.length; i < padded; i++) {
            buf.put((byte) ' ');
        }
        for (String name : shapes.keySet()) {
            for (float v : data.get(name)) {
                buf.putFloat(v);
            }
        }
        return buf.array();
    }

    /** @throws InputRejected naming what is malformed */
    public static File read(byte[] bytes) {
        return read(bytes, true);
    }

    /**
     * Checks a file as {@link #read(byte[])} does, values included, without widening them into arrays:
     * the tensors it returns have empty values. For uploads, which only need the shapes.
     */
    public static File inspect(byte[] bytes) {
        return read(bytes, false);
    }

    private static File read(byte[] bytes, boolean withValues) {
        if (bytes.length < 8) {
            throw bad("file is shorter than its 8-byte header length");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong();
        if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > bytes.length - 8) {
            throw bad("header length " + headerLength + " does not fit the file of " + bytes.length + " bytes");
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8).trim());
        } catch (JacksonException e) {
            throw bad("header is not valid JSON" + (e.getMessage() != null && e.getMessage().startsWith("Duplicate")
                    ? " (a tensor name appears twice)" : ""));
        }
        if (header == null || !header.isObject()) {
            throw bad("header must be a JSON object");
        }
        int tensorCount = header.size() - (header.has("__metadata__") ? 1 : 0);
        if (tensorCount > MAX_TENSORS) {
            throw bad("header lists " + tensorCount + " tensors; at most " + MAX_TENSORS + " are allowed");
        }
        long dataStart = 8 + headerLength;
        long dataLength = bytes.length - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        List<long[]> ranges = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if ("__metadata__".equals(e.getKey())) {
                if (!e.getValue().isObject()) {
                    throw bad("__metadata__ must be an object of strings");
                }
                e.getValue().properties().forEach(m -> {
                    if (!m.getValue().isString()) {
                        throw bad("__metadata__." + m.getKey() + " must be a string");
                    }
                    metadata.put(m.getKey(), m.getValue().asString());
                });
                continue;
            }
            tensors.put(e.getKey(), tensor(e.getKey(), e.getValue(), buf, dataStart, dataLength, ranges, withValues));
        }
        // sorted by start, each range must end where the next begins: O(n log n) for any n. The format
        // wants the data entirely indexed, without holes or a tail (bytes no tensor claims make polyglot files)
        ranges.sort(Comparator.comparingLong(r -> r[0]));
        long covered = 0;
        for (long[] r : ranges) {
            if (r[0] < covered) {
                throw bad("two tensors overlap at data bytes [" + r[0] + ", " + covered + ")");
            }
            if (r[0] > covered) {
                throw bad("data bytes [" + covered + ", " + r[0] + ") belong to no tensor");
            }
            covered = r[1];
        }
        if (covered < dataLength) {
            throw bad("data bytes [" + covered + ", " + dataLength + ") after the last tensor belong to no tensor");
        }
        return new File(metadata, tensors);
    }

    private static Tensor tensor(String name, JsonNode t, ByteBuffer buf, long dataStart, long dataLength,
                                 List<long[]> ranges, boolean withValues) {
        if (!t.isObject() || !t.path("dtype").isString() || !t.path("shape").isArray()
                || !t.path("data_offsets").isArray() || t.path("data_offsets").size() != 2) {
            throw bad("tensor " + name + " needs dtype, shape and data_offsets [begin, end]");
        }
        String dtype = t.get("dtype").asString();
        int width = switch (dtype) {
            case "F32" -> 4;
            case "F64" -> 8;
            default -> throw bad("tensor " + name + " has dtype " + dtype + "; F32 and F64 are supported");
        };
        long[] shape = new long[t.get("shape").size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = t.get("shape").get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0 || d.asLong() > Integer.MAX_VALUE) {
                throw bad("tensor " + name + " has an invalid shape");
            }
            shape[i] = d.asLong();
            count *= shape[i];
            if (count > Integer.MAX_VALUE / 8) {
                throw bad("tensor " + name + " is too large");
            }
        }
        JsonNode offsets = t.get("data_offsets");
        if (!offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber()
                || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
            throw bad("tensor " + name + " has invalid data_offsets");
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (begin < 0 || end < begin || end > dataLength) {
            throw bad("tensor " + name + " data_offsets [" + begin + ", " + end + "] fall outside the "
                    + dataLength + " data bytes");
        }
        if (end - begin != count * width) {
            throw bad("tensor " + name + " has " + (end - begin) + " bytes for " + count + " " + dtype + " values");
        }
        if (begin < end) {
            ranges.add(new long[] {begin, end});
        }
        double[] values = new double[withValues ? (int) count : 0];
        int pos = (int) (dataStart + begin);
        for (int i = 0; i < count; i++) {
            double v = width == 4 ? buf.getFloat(pos + 4 * i) : buf.getDouble(pos + 8 * i);
            if (!Double.isFinite(v)) {
                throw InputRejected.invalid(name, "holds a non-finite value at index " + i);
            }
            if (withValues) {
                values[i] = v;
            }
        }
        return new Tensor(dtype, shape, values);
    }

    private static InputRejected bad(String detail) {
        return InputRejected.malformed("malformed safetensors file: " + detail);
    }
}

package io.backprop.datasets;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Datasets as compact binary (little-endian): magic, version, counts, the names, then raw float32
 * features and labels. A 60,000 × 784 dataset is 188 MB here against about 400 MB as JSON text.
 */
final class DatasetCodec {

    private static final int MAGIC = 0x42504453;
    private static final int VERSION = 1;

    private DatasetCodec() {
    }

    static byte[] encode(DatasetTable t) {
        List<byte[]> strings = new ArrayList<>();
        int stringBytes = 0;
        for (List<String> list : List.of(t.featureNames(), t.labelNames(), t.classes())) {
            for (String s : list) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                strings.add(b);
                stringBytes += 4 + b.length;
            }
        }
        int size = 4 * 7 + stringBytes + 4 * (t.features().length + t.labels().length);
        ByteBuffer buf = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(MAGIC).putInt(VERSION).putInt(t.rows()).putInt(t.featureCount()).putInt(t.labelCount())
                .putInt(t.classes().size()).putInt(t.task().ordinal());
        for (byte[] b : strings) {
            buf.putInt(b.length).put(b);
        }
        buf.asFloatBuffer().put(t.features()).put(t.labels());
        return buf.array();
    }

    static DatasetTable decode(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (buf.getInt() != MAGIC || buf.getInt() != VERSION) {
            throw new IllegalStateException("stored dataset has an unknown format");
        }
        int rows = buf.getInt();
        int featureCount = buf.getInt();
        int labelCount = buf.getInt();
        int classCount = buf.getInt();
        Task task = Task.values()[buf.getInt()];
        List<String> features = strings(buf, featureCount);
        List<String> labels = strings(buf, labelCount);
        List<String> classes = strings(buf, classCount);
        float[] x = new float[rows * featureCount];
        float[] y = new float[rows * labelCount];
        java.nio.FloatBuffer floats = buf.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        floats.get(x).get(y);
        return new DatasetTable(features, labels, task, classes, rows, x, y);
    }

    private static List<String> strings(ByteBuffer buf, int count) {
        List<String> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] b = new byte[buf.getInt()];
            buf.get(b);
            list.add(new String(b, StandardCharsets.UTF_8));
        }
        return list;
    }
}

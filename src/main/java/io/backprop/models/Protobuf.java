package io.backprop.models;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The protobuf wire format, as much as an ONNX file needs: varints, 32-bit floats and length-delimited
 * fields (strings, bytes, nested messages). See https://protobuf.dev/programming-guides/encoding/.
 */
final class Protobuf {

    private static final int VARINT = 0;
    private static final int FIXED32 = 5;
    private static final int LENGTH_DELIMITED = 2;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Protobuf varint(int field, long value) {
        tag(field, VARINT);
        raw(value);
        return this;
    }

    Protobuf float32(int field, float value) {
        tag(field, FIXED32);
        int bits = Float.floatToIntBits(value);
        for (int i = 0; i < 4; i++) {
            out.write(bits >>> (8 * i) & 0xff);
        }
        return this;
    }

    Protobuf string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Protobuf bytes(int field, byte[] value) {
        tag(field, LENGTH_DELIMITED);
        raw(value.length);
        out.writeBytes(value);
        return this;
    }

    Protobuf message(int field, Protobuf message) {
        return bytes(field, message.toByteArray());
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        raw((long) field << 3 | wireType);
    }

    /** Base-128 varint, 7 bits a byte, least significant first; negative numbers take ten bytes. */
    private void raw(long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }
}

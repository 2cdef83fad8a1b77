package io.backprop.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.backprop.core.InputRejected;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The safetensors reader and writer on their own: a round trip, and every way a hostile file is refused. */
class SafetensorsTest {

    /** A file with the given header JSON and data bytes, laid out as the format says. */
    private static byte[] file(String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(json.length).put(json).put(data).array();
    }

    private static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    private static String refusal(byte[] bytes) {
        try {
            Safetensors.read(bytes);
        } catch (InputRejected e) {
            assertThat(e.kind()).isIn(InputRejected.Kind.MALFORMED, InputRejected.Kind.INVALID);
            return e.getMessage();
        }
        throw new AssertionError("accepted");
    }

    @Test
    void whatIsWrittenIsReadBackWithShapesValuesAndMetadataInOrder() {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("layers.0.weight", new long[] {2, 3});
        shapes.put("layers.0.bias", new long[] {2});
        Map<String, float[]> data = Map.of("layers.0.weight", new float[] {1, -2, 3.5f, 0, 1e-7f, -0f},
                "layers.0.bias", new float[] {0.25f, -0.5f});
        byte[] bytes = Safetensors.writeF32(shapes, data, Map.of("format", "pt"));
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(headerLength % 8).as("header padded to 8 bytes").isZero();

        Safetensors.File read = Safetensors.read(bytes);
        assertThat(read.metadata()).containsEntry("format", "pt");
        assertThat(read.tensors().keySet()).containsExactly("layers.0.weight", "layers.0.bias");
        assertThat(read.tensors().get("layers.0.weight").shape()).containsExactly(2, 3);
        assertThat(read.tensors().get("layers.0.weight").values()).containsExactly(1, -2, 3.5, 0, (double) 1e-7f, -0.0);
        assertThat(read.tensors().get("layers.0.bias").values()).containsExactly(0.25, -0.5);
        assertThat(Safetensors.inspect(bytes).tensors().get("layers.0.weight").values()).isEmpty();
    }

    @Test
    void f64TensorsAreRead() {
        byte[] data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.1).putDouble(-3).array();
        Safetensors.File read = Safetensors.read(file("{\"w\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}", data));
        assertThat(read.tensors().get("w").values()).containsExactly(0.1, -3.0);
    }

    @Test
    void headersThatLieAboutTheFileAreRefused() {
        assertThat(refusal(new byte[] {1, 2})).contains("shorter than its 8-byte header");
        byte[] huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE).array();
        assertThat(refusal(huge)).contains("does not fit");
        assertThat(refusal(file("[1,2]", new byte[0]))).contains("JSON object");
        assertThat(refusal(file("{\"a\":", new byte[0]))).contains("not valid JSON");
        assertThat(refusal(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", floats(1)))).contains("appears twice");
        assertThat(refusal(file("{\"__metadata__\":{\"n\":1}}", new byte[0]))).contains("must be a string");
    }

    @Test
    void tensorsOutsideTheDataOrOverlappingOrMiscountedAreRefused() {
        assertThat(refusal(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", floats(1))))
                .contains("fall outside");
        assertThat(refusal(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", floats(1, 2))))
                .contains("8 bytes for 3 F32 values");
        assertThat(refusal(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", floats(1, 2, 3)))).contains("overlap");
        assertThat(refusal(file("{\"w\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1])))
                .contains("F32 and F64 are supported");
        assertThat(refusal(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}", new byte[0])))
                .contains("invalid shape");
        assertThat(refusal(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647],\"data_offsets\":[0,0]}}",
                new byte[0]))).contains("too large");
        assertThat(refusal(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", floats(Float.NaN))))
                .contains("non-finite");
    }

    @Test
    void dataBytesNoTensorClaimsAreRefused() {
        assertThat(refusal(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", floats(1, 2, 3))))
                .contains("data bytes [4, 8) belong to no tensor");
        assertThat(refusal(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", floats(1, 2))))
                .contains("data bytes [4, 8) after the last tensor");
        assertThat(refusal(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", floats(1, 2))))
                .contains("data bytes [0, 4) belong to no tensor");
    }

    @Test
    void aHeaderListingMoreThanTheTensorLimitIsRefusedBeforeReadingThem() {
        StringBuilder header = new StringBuilder("{");
        for (int i = 0; i <= Safetensors.MAX_TENSORS; i++) {
            header.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}");
        }
        assertThat(refusal(file(header.append('}').toString(), new byte[0]))).contains("at most " + Safetensors.MAX_TENSORS);
    }
}

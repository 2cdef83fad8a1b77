package io.backprop.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A JSON array of numeric rows ({@code [[1, 2], [3, 4]]}) read straight into one row-major float32
 * array as the parser streams it: 4 bytes a value instead of a boxed Double in a list per value, so a
 * body's memory cost is bounded by its byte limit. Bad values and ragged rows are collected as problems
 * (path relative to the array, e.g. {@code [3][1]}) for the caller to answer with 422; a token that is
 * not a number at all is a malformed body (400).
 *
 * @param rows     rows read, ragged ones included
 * @param width    the first row's length; rows of another length are problems and their values dropped
 * @param values   rows × width, row-major (a ragged row leaves zeros)
 * @param problems at most {@value #MAX_PROBLEMS}, in document order
 */
@JsonDeserialize(using = FloatRows.Reader.class)
public record FloatRows(int rows, int width, float[] values, List<ApiException.FieldProblem> problems) {

    static final int MAX_PROBLEMS = 20;

    /** Row {@code r}, copied. */
    public float[] row(int r) {
        return Arrays.copyOfRange(values, r * width, (r + 1) * width);
    }

    static final class Reader extends ValueDeserializer<FloatRows> {

        @Override
        public FloatRows deserialize(JsonParser p, DeserializationContext ctxt) {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                return (FloatRows) ctxt.handleUnexpectedToken(FloatRows.class, p);
            }
            List<ApiException.FieldProblem> problems = new ArrayList<>();
            float[] values = new float[1024];
            int size = 0;
            int rows = 0;
            int width = -1;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                int r = rows++;
                if (t != JsonToken.START_ARRAY) {
                    if (t != JsonToken.VALUE_NULL) {
                        return (FloatRows) ctxt.handleUnexpectedToken(FloatRows.class, p);
                    }
                    problem(problems, "[" + r + "]", "must be an array of numbers");
                    continue;
                }
                int rowStart = size;
                int c = 0;
                for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken(), c++) {
                    float f = 0f;
                    if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
                        double d = p.getDoubleValue();
                        if (Double.isFinite(d) && Math.abs(d) <= Float.MAX_VALUE) {
                            f = (float) d;
                        } else {
                            problem(problems, "[" + r + "][" + c + "]", "must be a finite float32 number");
                        }
                    } else if (v == JsonToken.VALUE_NULL) {
                        problem(problems, "[" + r + "][" + c + "]", "must be a finite float32 number");
                    } else {
                        return (FloatRows) ctxt.handleUnexpectedToken(Float.class, p);
                    }
                    if (size == values.length) {
                        values = RequestMemory.resize(values, Math.toIntExact(Math.min(Integer.MAX_VALUE - 8, size * 2L)));
                    }
                    values[size++] = f;
                }
                if (width < 0) {
                    width = c;
                    if (width == 0) {
                        problem(problems, "[" + r + "]", "must be a non-empty array of numbers");
                    }
                } else if (c != width) {
                    problem(problems, "[" + r + "]", "must have " + width + " values like the first row");
                    size = rowStart;
                    if ((long) size + width > values.length) {
                        values = RequestMemory.resize(values, Math.toIntExact(Math.min(Integer.MAX_VALUE - 8, size * 2L + width)));
                    }
                    size += width;
                }
            }
            width = Math.max(width, 0);
            return new FloatRows(rows, width, size == values.length ? values : RequestMemory.resize(values, size), problems);
        }

        private static void problem(List<ApiException.FieldProblem> problems, String path, String message) {
            if (problems.size() < MAX_PROBLEMS) {
                problems.add(new ApiException.FieldProblem(path, message));
            }
        }
    }
}

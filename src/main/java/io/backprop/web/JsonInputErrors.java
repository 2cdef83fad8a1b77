package io.backprop.web;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;

/**
 * Jackson's refusal of a request body in the client's terms: what the field expected, never the Java type
 * it binds to (Jackson's own messages name classes such as {@code java.util.LinkedHashMap} or the
 * service's request records, which tell a client nothing and show the internals).
 */
public final class JsonInputErrors {

    private JsonInputErrors() {
    }

    public static String describe(JacksonException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field '" + u.getPropertyName() + "'";
        }
        if (e instanceof InvalidNullException) {
            return "must not be null";
        }
        if (e instanceof InvalidFormatException f && f.getTargetType() != null) {
            return shown(f.getValue()) + " is not " + expected(f.getTargetType());
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return "expected " + expected(m.getTargetType());
        }
        if (e instanceof InputCoercionException c && c.getTargetType() != null) {
            return "out of range for " + expected(c.getTargetType()) + range(c.getTargetType());
        }
        if (e instanceof ValueInstantiationException v && v.getCause() != null && v.getCause().getMessage() != null) {
            return v.getCause().getMessage();
        }
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof StreamConstraintsException) {
            // "... exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNumberLength()`)"
            message = message.replaceAll(", from `[^`]*`", "");
        }
        // syntax errors ("Unexpected end-of-input", "Unrecognized token 'x'") name no type; anything else might
        return message.isBlank() || message.contains("`") ? "this value cannot be read here" : message;
    }

    /** Where in the document Jackson failed, as the service names fields: {@code $.model.layers[0].units}. */
    public static String path(JacksonException e) {
        return "$" + e.getPath().stream()
                .map(ref -> ref.getPropertyName() != null ? "." + ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining());
    }

    private static String range(Class<?> type) {
        if (type == Integer.class || type == int.class) {
            return " (at most " + Integer.MAX_VALUE + ")";
        }
        return type == Long.class || type == long.class ? " (at most " + Long.MAX_VALUE + ")" : "";
    }

    private static String shown(Object value) {
        String text = String.valueOf(value);
        String cut = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return value instanceof String ? "\"" + cut + "\"" : cut;
    }

    static String expected(Class<?> type) {
        if (type == FloatRows.class) {
            return "an array of rows, each an array of numbers";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == Byte.class || type == byte.class
                || type == BigInteger.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class
                || type == BigDecimal.class || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type == UUID.class) {
            return "a UUID (36 characters, such as 123e4567-e89b-12d3-a456-426614174000)";
        }
        if (type == Instant.class || type == OffsetDateTime.class) {
            return "an ISO-8601 instant, such as 2026-12-31T23:59:59Z";
        }
        if (type == Duration.class) {
            return "an ISO-8601 duration, such as PT30S";
        }
        if (type.isEnum()) {
            return "one of the documented values";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return Map.class.isAssignableFrom(type) ? "an object" : "an object with the documented fields";
    }
}

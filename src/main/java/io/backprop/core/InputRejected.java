package io.backprop.core;

/**
 * Input a parser refuses (a dataset file, a weights file, labels): what is wrong and, where one field is
 * to blame, which. The parsers know nothing of HTTP; the web layer maps the kind to a status.
 */
public final class InputRejected extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Unreadable as the format it claims (400), one field out of bounds (422), or too big to take (413). */
    public enum Kind { MALFORMED, INVALID, TOO_LARGE }

    private final Kind kind;
    private final String field;

    private InputRejected(Kind kind, String field, String message) {
        super(message);
        this.kind = kind;
        this.field = field;
    }

    public static InputRejected malformed(String message) {
        return new InputRejected(Kind.MALFORMED, null, message);
    }

    public static InputRejected invalid(String field, String message) {
        return new InputRejected(Kind.INVALID, field, message);
    }

    public static InputRejected tooLarge(String message) {
        return new InputRejected(Kind.TOO_LARGE, null, message);
    }

    public Kind kind() {
        return kind;
    }

    /** The field or column to blame, or null when the input as a whole is. */
    public String field() {
        return field;
    }
}

package io.backprop.config;

/** Text from clients made fit for one log line: a forged newline or escape sequence cannot start another. */
public final class LogSafe {

    private static final int MAX = 200;

    private LogSafe() {
    }

    /** Control, format and line-separator characters become '?'; at most 200 characters are kept. */
    public static String of(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX));
        value.codePoints().limit(MAX).forEach(c -> out.appendCodePoint(Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT || c == '\u2028' || c == '\u2029' ? '?' : c));
        return out.toString();
    }
}

package io.backprop.datasets;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Stops a CSV whose physical line runs past {@code maxLine} characters before the parser buffers it
 * (a header of millions of columns, a cell of gigabytes): the parser would otherwise hold the whole
 * line in memory first.
 */
final class LineLimitReader extends FilterReader {

    /** Thrown through the parser; the CSV reader answers it with 422. */
    static final class LineTooLong extends IOException {

        private static final long serialVersionUID = 1L;
        LineTooLong(long line, int max) {
            super("CSV line " + line + " is longer than " + max + " characters (backprop.max-line-length)");
        }
    }

    private final int maxLine;
    private int current;
    private long line = 1;

    LineLimitReader(Reader in, int maxLine) {
        super(in);
        this.maxLine = maxLine;
    }

    @Override
    public int read() throws IOException {
        int c = super.read();
        if (c >= 0) {
            count((char) c);
        }
        return c;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        for (int i = 0; i < n; i++) {
            count(buf[off + i]);
        }
        return n;
    }

    private void count(char c) throws LineTooLong {
        if (c == '\n') {
            current = 0;
            line++;
        } else if (++current > maxLine) {
            throw new LineTooLong(line, maxLine);
        }
    }
}

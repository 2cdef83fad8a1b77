package io.backprop.web;

/** The one rule for list pages: a page number and a size the database can answer cheaply. */
public final class Paging {

    public static final int MAX_SIZE = 500;
    /** Deeper than this, an offset scan costs more than any client needs; filter instead. */
    public static final long MAX_OFFSET = 10_000_000;

    private Paging() {
    }

    /** @throws ApiException 422 naming the bad parameter */
    public static void check(int page, int size) {
        if (size < 1 || size > MAX_SIZE) {
            throw ApiException.invalid("size", "must be between 1 and " + MAX_SIZE);
        }
        if (page < 0 || (long) page * size > MAX_OFFSET) {
            throw ApiException.invalid("page", "must be >= 0, with page × size at most " + MAX_OFFSET);
        }
    }
}

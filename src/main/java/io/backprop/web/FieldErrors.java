package io.backprop.web;

import java.util.ArrayList;
import java.util.List;

/** Collects every bad field of a request before answering, so clients see them all at once. */
public final class FieldErrors {

    private final List<ApiException.FieldProblem> problems = new ArrayList<>();

    public void add(String field, String message) {
        problems.add(new ApiException.FieldProblem(field, message));
    }

    public int size() {
        return problems.size();
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** @throws ApiException 422 listing every problem, if there is any */
    public void throwIfAny() {
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
    }

    /** Adds a problem unless {@code value} is a finite number (null passes: required-ness is separate). */
    public void finite(String field, Double value) {
        if (value != null && !Double.isFinite(value)) {
            add(field, "must be a finite number");
        }
    }
}

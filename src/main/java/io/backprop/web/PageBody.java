package io.backprop.web;

import java.util.List;
import java.util.function.Function;
import org.springframework.data.domain.Page;

/** The one shape of every paged list: the items and where they sit in the whole. */
public record PageBody<T>(List<T> content, int page, int size, long totalElements, int totalPages) {

    public static <E, T> PageBody<T> of(Page<E> result, Function<E, T> view) {
        return new PageBody<>(result.getContent().stream().map(view).toList(), result.getNumber(), result.getSize(),
                result.getTotalElements(), result.getTotalPages());
    }
}

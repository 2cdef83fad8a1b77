package io.backprop.web;

import java.util.List;
import org.springframework.http.ETag;

/**
 * {@code If-None-Match} as RFC 9110 §13.1.2 reads it: a list of entity tags or {@code *}, compared weakly.
 * An exact string comparison missed a list a cache sends, and the weak form of a strong tag that a proxy
 * hands on after compressing the answer (nginx with gzip), so those pollers never got their 304.
 */
public final class ETags {

    private ETags() {
    }

    /** @param etag the current tag, quoted ({@code "abc"} or {@code W/"abc"}) */
    public static boolean notModified(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        ETag current = ETag.create(etag);
        List<ETag> asked = ETag.parse(ifNoneMatch);
        return asked.stream().anyMatch(tag -> tag.isWildcard() || tag.compare(current, false));
    }
}

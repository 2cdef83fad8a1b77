package io.backprop.web;

import io.backprop.config.BackpropProperties;
import io.backprop.config.LogSafe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Holds every request body to its limit: a multipart upload to {@code backprop.max-dataset-bytes}, any
 * other body (JSON) to {@code backprop.max-json-bytes}. A declared Content-Length over the limit is
 * refused before anything reads it; a chunked body is counted as it is read and cut off at the limit
 * with {@link BodyTooLarge}, which the problem handler answers with 413. A body in a content coding
 * (gzip...) is refused with 415 and {@code Accept-Encoding: identity} (RFC 7694): it would be read as sent
 * and fail as malformed, and its size would say nothing of what it inflates to.
 */
@Component
class RequestSizeFilter extends OncePerRequestFilter {

    private final BackpropProperties properties;

    RequestSizeFilter(BackpropProperties properties) {
        this.properties = properties;
    }

    /** A body that went past its limit while being read. */
    static final class BodyTooLarge extends IOException {

        private static final long serialVersionUID = 1L;
        final long limit;

        BodyTooLarge(long limit) {
            super("request body exceeds the limit of " + limit + " bytes");
            this.limit = limit;
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String coding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
        if (coding != null && !coding.isBlank() && !coding.trim().equalsIgnoreCase("identity")) {
            response.setHeader(HttpHeaders.ACCEPT_ENCODING, "identity");
            FilterProblems.write(request, response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, FilterProblems.title(415),
                    "request bodies are read as sent: Content-Encoding '" + LogSafe.of(coding) + "' is not supported",
                    Map.of());
            return;
        }
        String type = request.getContentType();
        boolean multipart = type != null && type.toLowerCase(java.util.Locale.ROOT)
                .startsWith(MediaType.MULTIPART_FORM_DATA_VALUE);
        // multipart framing adds a little to the file itself
        long limit = multipart ? properties.maxDatasetBytes() + 64 * 1024 : properties.maxJsonBytes();
        if (request.getContentLengthLong() > limit) {
            FilterProblems.write(request, response, HttpStatus.CONTENT_TOO_LARGE, "Too large", "request body of "
                    + request.getContentLengthLong() + " bytes exceeds the limit of " + limit + " bytes",
                    Map.of("limit", limit));
            return;
        }
        // Multipart bodies are read by the container itself, bounded by the multipart limits (MultipartLimits).
        chain.doFilter(multipart ? request : new Counted(request, limit), response);
    }

    private static final class Counted extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        Counted(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CountingStream(super.getInputStream(), limit);
            }
            return stream;
        }

        @Override
        public java.io.BufferedReader getReader() throws IOException {
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(),
                    getCharacterEncoding() == null ? "UTF-8" : getCharacterEncoding()));
        }
    }

    private static final class CountingStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private long count;

        CountingStream(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        private void add(long n) throws BodyTooLarge {
            if (n > 0) {
                count += n;
                if (count > limit) {
                    throw new BodyTooLarge(limit);
                }
            }
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            add(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            add(n);
            return n;
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}

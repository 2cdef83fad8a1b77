package io.backprop.web;

import io.backprop.config.BackpropProperties;
import jakarta.servlet.MultipartConfigElement;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The container's multipart limits follow {@code backprop.max-dataset-bytes}, so a chunked upload
 * without a Content-Length is cut off at the same size as a declared one; parts go to disk, not heap.
 */
@Configuration(proxyBeanMethods = false)
class MultipartLimits {

    @Bean
    MultipartConfigElement multipartConfigElement(BackpropProperties properties) {
        long file = properties.maxDatasetBytes();
        return new MultipartConfigElement(null, file, file + 64 * 1024, 0);
    }
}

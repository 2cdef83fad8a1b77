package io.backprop.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Spring MVC plumbing every feature's controllers share. */
@Configuration
class WebConfig implements WebMvcConfigurer {

    private final RequestMemoryInterceptor requestMemory;

    WebConfig(RequestMemoryInterceptor requestMemory) {
        this.requestMemory = requestMemory;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(requestMemory).addPathPatterns("/api/**");
    }
}

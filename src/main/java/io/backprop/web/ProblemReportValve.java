package io.backprop.web;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * The errors Tomcat answers itself, before any filter or servlet sees the request (request headers over
 * {@code server.max-http-request-header-size}, a request line or header that does not parse), as
 * problem+json instead of Tomcat's HTML page. Errors a servlet or filter raised have their body by the
 * time this runs, and are left alone.
 */
public final class ProblemReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean writable = new AtomicBoolean();
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, writable);
        if (!writable.get()) {
            return;
        }
        String detail = status == 400
                ? "the request could not be read: its request line or headers are malformed, or its headers are larger than the server accepts"
                : "the server answered " + status + " before the request reached the service";
        try {
            response.resetBuffer();
            FilterProblems.write(request, response, status, detail);
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response cannot take a body: nothing more to tell it
        }
    }

    /** Puts this valve in the place of the one Spring Boot adds to the host. */
    @Component
    static final class Installer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addContextCustomizers(context -> {
                Container host = context.getParent();
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                if (host instanceof StandardHost standard) {
                    // otherwise the host adds Tomcat's own report valve when it starts
                    standard.setErrorReportValveClass(ProblemReportValve.class.getName());
                }
                host.getPipeline().addValve(new ProblemReportValve());
            });
        }

        @Override
        public int getOrder() {
            // after Spring Boot's TomcatWebServerFactoryCustomizer (order 0), which adds its report valve
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}

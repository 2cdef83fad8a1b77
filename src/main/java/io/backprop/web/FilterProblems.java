package io.backprop.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * problem+json answers of the servlet filters, which run before Spring MVC and its problem handler.
 * Titles and details are the filters' own constants and numbers; the request's path is cut down to
 * safe characters before it is echoed as {@code instance}.
 */
final class FilterProblems {

    private FilterProblems() {
    }

    /** @param extraMembers further JSON members, each with a leading comma, or "" */
    static void write(HttpServletRequest request, HttpServletResponse response, int status, String title,
                      String detail, String extraMembers) throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\"" + extraMembers + ",\"instance\":\""
                + request.getRequestURI().replaceAll("[^A-Za-z0-9/._-]", "") + "\"}");
    }
}

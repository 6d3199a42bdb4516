package io.shadowmq.platform.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.json.SafeJson;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Prints REST answers for people: pretty JSON on stdout when it worked; when not, a {@link CliFailure} of one line
 * with the status and the problem's title and detail ({@code HTTP 404 (Not found): no shadow for thing car-1}).
 */
final class Printer {

    private Printer() {}

    static int print(RestConnection.Answer answer) throws CliFailure {
        if (!answer.ok()) {
            throw new CliFailure(problem(answer));
        }
        String body = pretty(answer.body());
        if (!body.isBlank()) {
            System.out.println(body);
        }
        return 0;
    }

    /** {@code HTTP 409 (Conflict): thing car-1 exists}, from a problem+json body, or the body's first line. */
    static String problem(RestConnection.Answer answer) {
        String line = "HTTP " + answer.status();
        try {
            JsonNode problem = SafeJson.read(answer.body());
            String title = problem.path("title").asText("");
            String detail = problem.path("detail").asText("");
            return line + (title.isEmpty() ? "" : " (" + title + ")") + (detail.isEmpty() ? "" : ": " + detail);
        } catch (Exception notJson) {
            String body = answer.body().strip();
            int newline = body.indexOf('\n');
            return body.isEmpty() ? line : line + ": " + (newline < 0 ? body : body.substring(0, newline));
        }
    }

    static String quote(String value) {
        return SafeJson.mapper().getNodeFactory().textNode(value).toString();
    }

    static String path(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String pretty(String body) {
        try {
            return SafeJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(SafeJson.read(body));
        } catch (Exception notJson) {
            return body;
        }
    }
}

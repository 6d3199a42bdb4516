package io.shadowmq.platform.cli;

import io.shadowmq.model.json.SafeJson;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Prints REST answers for people: pretty JSON on stdout when it worked, the problem on stderr and exit 1 when not. */
final class Printer {

    private Printer() {
    }

    static int print(RestConnection.Answer answer) {
        String body = pretty(answer.body());
        if (answer.ok()) {
            if (!body.isBlank()) {
                System.out.println(body);
            }
            return 0;
        }
        System.err.println("HTTP " + answer.status() + (body.isBlank() ? "" : "\n" + body));
        return 1;
    }

    static String quote(String value) {
        return SafeJson.mapper().getNodeFactory().textNode(value).toString();
    }

    static String path(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String pretty(String body) {
        try {
            return SafeJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(SafeJson.read(body));
        } catch (Exception notJson) {
            return body;
        }
    }
}

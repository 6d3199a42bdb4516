package io.shadowmq.model.search;

import io.shadowmq.model.schema.ThingModels;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * docs/search.md shows what the code does: every filter in its {@code rql} blocks runs against the shipped models,
 * and every message in its error table is the one the request gets.
 */
class SearchDocsTest {

    private static final Path DOC = Path.of("..", "docs", "search.md");
    private static final SearchSchema SCHEMA = SearchSchema.of(ThingModels.bundled());
    /** A row of the error table: {@code | `param=value` ... | `message` |}. */
    private static final Pattern ERROR_ROW = Pattern.compile("^\\| `([a-z]+)=([^`]*)`[^|]*\\| `(.*)` \\|$");

    @Test
    void everyExampleFilterRunsAgainstTheShippedModels() throws IOException {
        List<String> filters = rqlBlocks();

        assertThat(filters)
                .contains(
                        "and(eq(type,\"car\"),lt(state.reported.fuel.level,20))",
                        "or(eq(state.reported.doors.frontLeft.isOpen,true),"
                                + "eq(state.reported.windows.rearLeft.isOpen,true))",
                        "exists(state.desired.cabin.heater.isOn)",
                        "like(thingId,\"car-*\")",
                        "gt(metadata.reported.fuel.level.timestamp,1764000000000)");
        for (String filter : filters) {
            assertThat(SearchQuery.parseFilter(SCHEMA, filter).toRql())
                    .as(filter)
                    .isEqualTo(filter);
        }
    }

    @Test
    void everyDocumentedErrorIsTheOneTheRequestGets() throws IOException {
        int rows = 0;
        boolean inErrors = false;
        for (String line : Files.readAllLines(DOC)) {
            if (line.startsWith("## ")) {
                inErrors = line.equals("## Errors");
            }
            Matcher row = ERROR_ROW.matcher(line);
            if (!inErrors || !row.matches()) {
                continue;
            }
            rows++;
            String parameter = row.group(1);
            String value = line.contains("(absent)") ? null : row.group(2);
            String documented = row.group(3);

            SearchQueryException e = catchThrowableOfType(() -> request(parameter, value), SearchQueryException.class);

            assertThat(e).as(line).isNotNull();
            if (documented.endsWith("…")) {
                assertThat(e.getMessage()).as(line).startsWith(documented.substring(0, documented.length() - 1));
            } else {
                assertThat(e.getMessage()).as(line).isEqualTo(documented);
            }
        }
        assertThat(rows).as("rows of the error table").isGreaterThanOrEqualTo(10);
    }

    private static SearchQuery request(String parameter, String value) {
        String filter = parameter.equals("filter") ? value : "exists(state.reported.range)";
        return SearchQuery.parse(
                SCHEMA,
                filter,
                parameter.equals("fields") ? value : null,
                parameter.equals("sort") ? value : null,
                parameter.equals("limit") ? value : null);
    }

    /** The lines of every {@code ```rql} block. */
    private static List<String> rqlBlocks() throws IOException {
        List<String> filters = new ArrayList<>();
        boolean inBlock = false;
        for (String line : Files.readAllLines(DOC)) {
            if (line.startsWith("```")) {
                inBlock = line.equals("```rql");
            } else if (inBlock && !line.isBlank()) {
                filters.add(line);
            }
        }
        return filters;
    }
}

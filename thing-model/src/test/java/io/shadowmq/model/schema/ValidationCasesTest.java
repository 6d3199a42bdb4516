package io.shadowmq.model.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.Rejection;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared validation cases ({@code validation-cases.json} beside this class in the test resources) are what the
 * server's validator says: {@link ThingModel#check} for desired values, as a PATCH or an MQTT update is checked, and
 * {@link ActionModel#checkInput} for action inputs. The console's browser test runs its own validator (validate.js)
 * over the same file, so the rules a person sees in the browser are the server's, case for case.
 */
class ValidationCasesTest {

    static final String CASES = "validation-cases.json";

    @TestFactory
    List<DynamicTest> theServersValidatorGivesEveryCasesExpectedAnswer() throws Exception {
        JsonNode file = SafeJson.read(load());
        ThingModel model = ThingModelParser.parse("cases.json", modelOf(file));
        List<DynamicTest> tests = new ArrayList<>();
        JsonNode cases = file.get("cases");
        assertThat(cases.size()).as("cases in %s", CASES).isGreaterThan(40);
        for (JsonNode testCase : cases) {
            String expected = testCase.get("expect").asText();
            String name = testCase.get("kind").asText() + " "
                    + testCase.path("action").asText("") + " " + SafeJson.writeString(testCase.get("value"));
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Optional<Rejection> answer = testCase.get("kind").asText().equals("input")
                        ? model.action(testCase.get("action").asText())
                                .orElseThrow()
                                .checkInput(testCase.get("value"))
                        : model.check(Section.DESIRED, (ObjectNode) testCase.get("value"));
                assertThat(answer.map(Rejection::message).orElse("ok")).isEqualTo(expected);
                answer.ifPresent(rejection -> assertThat(rejection.code()).isEqualTo(422));
            }));
        }
        return tests;
    }

    /** A whole thing model around the file's properties and actions, parsed as a model file is. */
    private static byte[] modelOf(JsonNode file) {
        ObjectNode model = SafeJson.object();
        model.put("@context", "https://www.w3.org/2022/wot/td/v1.1");
        model.put("@type", "tm:ThingModel");
        model.put("title", "Validation cases");
        model.set("properties", file.get("properties"));
        model.set("actions", file.get("actions"));
        return SafeJson.writeString(model).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] load() throws IOException {
        try (InputStream in = ValidationCasesTest.class.getResourceAsStream(CASES)) {
            assertThat(in).as(CASES + " in the test resources").isNotNull();
            return in.readAllBytes();
        }
    }
}

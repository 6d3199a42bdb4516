package io.shadowmq.platform.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code ./shadowmq shadow get|desire}: read a shadow, or set desired state, through the REST API. */
@Command(
        name = "shadow",
        mixinStandardHelpOptions = true,
        description = "Read shadows and set desired state.",
        subcommands = {ShadowCommand.Get.class, ShadowCommand.Desire.class})
public final class ShadowCommand {

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Print a thing's shadow document.")
    static final class Get implements Callable<Integer> {
        @Mixin
        RestConnection rest;

        @Parameters(paramLabel = "THING")
        String thing;

        @Override
        public Integer call() throws Exception {
            return Printer.print(rest.send("GET", "/api/v1/things/" + Printer.path(thing) + "/shadow", null));
        }
    }

    @Command(
            name = "desire",
            mixinStandardHelpOptions = true,
            description =
                    "Merge desired state, e.g. ./shadowmq shadow desire car-1 cabin.heater.isOn=true cabin.heater.targetTemperature=21")
    static final class Desire implements Callable<Integer> {
        @Mixin
        RestConnection rest;

        @Parameters(index = "0", paramLabel = "THING")
        String thing;

        @Parameters(index = "1..*", paramLabel = "PATH=VALUE", arity = "1..*")
        List<String> assignments;

        @Override
        public Integer call() throws Exception {
            ObjectNode desired = SafeJson.object();
            for (String assignment : assignments) {
                int equals = assignment.indexOf('=');
                if (equals <= 0) {
                    System.err.println("shadowmq shadow desire: '" + assignment + "' is not PATH=VALUE");
                    return 2;
                }
                put(desired, assignment.substring(0, equals).split("\\."), value(assignment.substring(equals + 1)));
            }
            ObjectNode body = SafeJson.object();
            body.putObject("state").set("desired", desired);
            return Printer.print(rest.send(
                    "PATCH", "/api/v1/things/" + Printer.path(thing) + "/shadow", SafeJson.writeString(body)));
        }

        /** JSON where the text is JSON (true, 21, null, {"a":1}), else a string: {@code program=eco}. */
        private static JsonNode value(String text) {
            try {
                return SafeJson.read(text);
            } catch (Exception notJson) {
                return SafeJson.mapper().getNodeFactory().textNode(text);
            }
        }

        private static void put(ObjectNode root, String[] path, JsonNode value) {
            ObjectNode node = root;
            for (int i = 0; i < path.length - 1; i++) {
                node = node.get(path[i]) instanceof ObjectNode child ? child : node.putObject(path[i]);
            }
            node.set(path[path.length - 1], value);
        }
    }
}

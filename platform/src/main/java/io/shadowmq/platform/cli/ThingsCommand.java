package io.shadowmq.platform.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * {@code ./shadowmq things create|list|get|delete|rotate-secret}: provisioning for operators, a thin client of the
 * REST API (docs/rest.md) using the admin token.
 */
@Command(
        name = "things",
        mixinStandardHelpOptions = true,
        description = "Provision and inspect things.",
        subcommands = {
            ThingsCommand.Create.class,
            ThingsCommand.ListThings.class,
            ThingsCommand.Get.class,
            ThingsCommand.Delete.class,
            ThingsCommand.RotateSecret.class
        })
public final class ThingsCommand {

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Provision a thing; prints its secret once.")
    static final class Create implements Callable<Integer> {
        @Mixin
        RestConnection rest;

        @Option(names = "--type", required = true, description = "thing model: car, speaker, fridge, washer, ...")
        String type;

        @Option(names = "--owner", required = true, description = "household")
        String owner;

        @Option(names = "--id", description = "thing id (default: <type>-<random>)")
        String id;

        @Override
        public Integer call() throws Exception {
            String thingId = id != null ? id : type + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
            return Printer.print(rest.send(
                    "POST",
                    "/api/v1/things",
                    "{\"thingId\":" + Printer.quote(thingId) + ",\"type\":" + Printer.quote(type) + ",\"owner\":"
                            + Printer.quote(owner) + "}"));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List things.")
    static final class ListThings implements Callable<Integer> {
        @Mixin
        RestConnection rest;

        @Option(names = "--owner")
        String owner;

        @Option(names = "--type")
        String type;

        @Option(names = "--limit", defaultValue = "50")
        int limit;

        @Option(names = "--cursor")
        String cursor;

        @Override
        public Integer call() throws Exception {
            StringBuilder query = new StringBuilder("?limit=").append(limit);
            if (owner != null) {
                query.append("&owner=").append(URLEncoder.encode(owner, StandardCharsets.UTF_8));
            }
            if (type != null) {
                query.append("&type=").append(URLEncoder.encode(type, StandardCharsets.UTF_8));
            }
            if (cursor != null) {
                query.append("&cursor=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            }
            return Printer.print(rest.send("GET", "/api/v1/things" + query, null));
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a thing and its presence.")
    static final class Get implements Callable<Integer> {
        @Mixin
        RestConnection rest;

        @Parameters(paramLabel = "THING")
        String thing;

        @Override
        public Integer call() throws Exception {
            return Printer.print(rest.send("GET", "/api/v1/things/" + Printer.path(thing), null));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deprovision a thing (disconnects it).")
    static final class Delete implements Callable<Integer> {
        @Mixin
        RestConnection rest;

        @Parameters(paramLabel = "THING")
        String thing;

        @Override
        public Integer call() throws Exception {
            return Printer.print(rest.send("DELETE", "/api/v1/things/" + Printer.path(thing), null));
        }
    }

    @Command(
            name = "rotate-secret",
            mixinStandardHelpOptions = true,
            description = "New secret; the old one stops working.")
    static final class RotateSecret implements Callable<Integer> {
        @Mixin
        RestConnection rest;

        @Parameters(paramLabel = "THING")
        String thing;

        @Override
        public Integer call() throws Exception {
            return Printer.print(rest.send("POST", "/api/v1/things/" + Printer.path(thing) + "/secret", null));
        }
    }
}

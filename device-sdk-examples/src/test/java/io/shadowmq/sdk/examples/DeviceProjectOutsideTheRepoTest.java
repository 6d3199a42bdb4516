package io.shadowmq.sdk.examples;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.TreeNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.sdk.ShadowClient;
import org.jetbrains.annotations.NotNull;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A device maker's project, outside this repository, builds against the SDK: a {@code Main} in its own package, using
 * what docs/device-sdk.md shows, compiles with javac against the SDK jar and its runtime dependencies only (thing-model,
 * Jackson, the HiveMQ MQTT client, the annotations) - not this module's classes, not the platform. And no public
 * signature of the SDK names a type a device maker cannot or should not use: the SDK's internal package, or
 * thing-model types other than the model and the limits it is configured with.
 */
class DeviceProjectOutsideTheRepoTest {

    private static final String SDK_PACKAGE = "io.shadowmq.sdk";

    /** Foreign types the public API may name: JSON trees and what the builder is configured with. */
    private static final Set<String> ALLOWED_FOREIGN = Set.of(
            "com.fasterxml.jackson.databind.JsonNode",
            "com.fasterxml.jackson.databind.node.ObjectNode",
            "io.shadowmq.model.schema.ThingModel",
            "io.shadowmq.model.shadow.ShadowLimits");

    private static final String MAIN = """
            package com.example.device;

            import com.fasterxml.jackson.databind.JsonNode;
            import com.fasterxml.jackson.databind.node.ObjectNode;
            import io.shadowmq.sdk.CommandFailedException;
            import io.shadowmq.sdk.CommandState;
            import io.shadowmq.sdk.CommandStatus;
            import io.shadowmq.sdk.ConnectionListener;
            import io.shadowmq.sdk.DeleteAccepted;
            import io.shadowmq.sdk.DesiredMetadata;
            import io.shadowmq.sdk.HouseholdThing;
            import io.shadowmq.sdk.InvokedCommand;
            import io.shadowmq.sdk.MqttProtocolVersion;
            import io.shadowmq.sdk.ShadowAccessDeniedException;
            import io.shadowmq.sdk.ShadowBufferFullException;
            import io.shadowmq.sdk.ShadowClient;
            import io.shadowmq.sdk.ShadowClientBuilder;
            import io.shadowmq.sdk.ShadowDelta;
            import io.shadowmq.sdk.ShadowDocuments;
            import io.shadowmq.sdk.ShadowException;
            import io.shadowmq.sdk.ShadowRejectedException;
            import io.shadowmq.sdk.ShadowState;
            import io.shadowmq.sdk.ThingSummary;
            import io.shadowmq.sdk.UpdateAccepted;

            import java.time.Duration;
            import java.util.List;
            import java.util.Map;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.CompletionException;
            import java.util.concurrent.TimeUnit;

            public final class Main {
                public static void main(String[] args) {
                    ShadowClientBuilder builder = ShadowClient.builder()
                            .host("mqtt.example.com").port(1883)
                            .thing("car-1").secret(System.getenv("CAR_SECRET"))
                            .type("car")
                            .mqttVersion(MqttProtocolVersion.V5)
                            .requestTimeout(Duration.ofSeconds(5))
                            .updatesPerSecond(ShadowClientBuilder.DEFAULT_UPDATES_PER_SECOND)
                            .offlineBufferBytes(8 * 1024)
                            .reconnectDelay(Duration.ofSeconds(1), Duration.ofMinutes(2));
                    try (ShadowClient car = builder.build()) {
                        car.onDelta((ShadowDelta delta) -> {
                            JsonNode heater = delta.state().path("cabin").path("heater");
                            long version = delta.version();
                            ObjectNode metadata = delta.metadata();
                            DesiredMetadata wish = delta.desiredMetadata().get("cabin.heater.isOn");
                            if (wish != null && wish.setBy() != null && wish.expiresAt() != null) {
                                car.rejectDesired("cabin.heater.isOn", "fuel below 10 %");
                            }
                        });
                        car.onCommand("startClimatization", (command, progress) -> {
                            if (command.input().path("minutes").asInt() > 60) {
                                throw new CommandFailedException("too long");
                            }
                            progress.report(50);
                            return CompletableFuture.completedFuture(null);
                        });
                        car.onDocuments((ShadowDocuments change) -> {
                            ShadowState current = change.current();
                            long before = change.previous().version();
                        });
                        car.onConnection(new ConnectionListener() {
                            @Override
                            public void onDisconnected(Throwable cause) {
                                System.out.println("offline: " + cause.getMessage());
                            }
                        });
                        car.connect().orTimeout(30, TimeUnit.SECONDS).join();
                        CompletableFuture<UpdateAccepted> report = car.reportAsync(Map.of("range", 310))
                                .exceptionally(error -> {
                                    if (error.getCause() instanceof ShadowRejectedException rejected) {
                                        System.out.println(rejected.code() + " " + rejected.message() + " "
                                                + rejected.isLocal());
                                    } else if (error.getCause() instanceof ShadowBufferFullException full) {
                                        System.out.println(full.capacityBytes());
                                    } else if (error.getCause() instanceof ShadowException other) {
                                        System.out.println(other.getMessage());
                                    }
                                    return null;
                                });
                        ShadowState shadow = car.getAsync().join();
                        int range = shadow.reported().path("range").asInt();
                        ObjectNode delta = shadow.delta();
                        HouseholdThing fridge = car.thing("fridge-1", "fridge");
                        fridge.desireAsync(Map.of("superCool", Map.of("isOn", true)));
                        double inside = fridge.getAsync().join().reported().path("temperature").asDouble();
                        InvokedCommand superCool = fridge.invoke("superCool", Map.of("hours", 6)).join();
                        CommandState last = superCool
                                .onState(state -> System.out.println(state.status() + " " + state.progress()))
                                .finalState()
                                .orTimeout(1, TimeUnit.HOURS)
                                .join();
                        boolean ok = last.status() == CommandStatus.SUCCEEDED && last.status().isFinal();
                        HouseholdThing otherCar = car.thing("car-2", "car");
                        ShadowState some = otherCar.getAsync(List.of("range", "windows.**")).join();
                        ThingSummary summary = otherCar.summaryAsync("de", "Europe/Berlin").join();
                        System.out.println(summary.thingId() + " " + summary.lang() + " " + summary.text() + " "
                                + summary.facts().size() + " " + some.version());
                        try {
                            otherCar.getAsync(List.of("location")).join();
                        } catch (CompletionException e) {
                            if (e.getCause() instanceof ShadowAccessDeniedException denied) {
                                System.out.println(denied.path().orElse("") + " " + denied.message());
                            }
                        }
                        ObjectNode outcomes = shadow.desiredOutcomes();
                        DeleteAccepted deleted = car.deleteAsync().join();
                        System.out.println(car.thingId() + " " + car.isConnected() + " " + range + " " + delta
                                + " " + inside + " " + deleted.version() + " " + report.isDone());
                    }
                }
            }
            """;

    @Test
    void aMainUsingThePublicApiCompilesAgainstTheSdkJarAndItsRuntimeDependenciesOnly(@TempDir Path project)
            throws IOException {
        // given: a project of its own, and the classpath a device maker has after adding the dependency
        Path source = project.resolve("src/com/example/device/Main.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, MAIN);
        List<String> classpath = sdkClasspath();

        // when
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean compiled;
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            compiled = javac.getTask(
                            null,
                            files,
                            diagnostics,
                            List.of(
                                    "--release",
                                    "17",
                                    "-proc:none",
                                    "-classpath",
                                    String.join(File.pathSeparator, classpath),
                                    "-d",
                                    project.resolve("classes").toString()),
                            null,
                            files.getJavaFileObjects(source))
                    .call();
        }

        // then
        assertThat(compiled).as("javac said %s", diagnostics.getDiagnostics()).isTrue();
        assertThat(project.resolve("classes/com/example/device/Main.class")).exists();
    }

    @Test
    void noPublicSignatureOfTheSdkNamesAnInternalOrThingModelType() throws IOException {
        // given
        List<Class<?>> publicTypes = publicTypesOf(location(ShadowClient.class));

        // when
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : publicTypes) {
            leaks.addAll(leaksOf(type));
        }

        // then
        assertThat(publicTypes)
                .extracting(Class::getSimpleName)
                .contains("ShadowClient", "ShadowClientBuilder", "ShadowState", "ShadowDelta", "HouseholdThing");
        assertThat(leaks).isEmpty();
    }

    /** The SDK (its jar when the reactor packaged it, else its classes) and the jars it needs at runtime. */
    private static List<String> sdkClasspath() {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> anchor : List.of(
                ShadowClient.class,
                ThingModel.class,
                JsonNode.class,
                TreeNode.class,
                JsonInclude.class,
                MqttClient.class,
                NotNull.class)) {
            entries.add(location(anchor).toString());
        }
        assertThat(entries).noneMatch(entry -> entry.contains("device-sdk-examples"));
        return new ArrayList<>(entries);
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public top-level and nested types of the SDK's public package, from its jar or classes folder. */
    private static List<Class<?>> publicTypesOf(Path sdk) throws IOException {
        String prefix = SDK_PACKAGE.replace('.', '/') + "/";
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(sdk)) {
            try (Stream<Path> files = Files.list(sdk.resolve(prefix))) {
                files.map(file -> prefix + file.getFileName()).forEach(names::add);
            }
        } else {
            try (JarFile jar = new JarFile(sdk.toFile())) {
                jar.stream()
                        .map(entry -> entry.getName())
                        .filter(name -> name.startsWith(prefix) && name.indexOf('/', prefix.length()) < 0)
                        .forEach(names::add);
            }
        }
        List<Class<?>> types = new ArrayList<>();
        for (String name : names) {
            if (!name.endsWith(".class") || name.endsWith("package-info.class")) {
                continue;
            }
            try {
                Class<?> type =
                        Class.forName(name.substring(0, name.length() - 6).replace('/', '.'));
                if (Modifier.isPublic(type.getModifiers())) {
                    types.add(type);
                }
            } catch (ClassNotFoundException e) {
                throw new UncheckedIOException(new IOException(e));
            }
        }
        return types;
    }

    private static List<String> leaksOf(Class<?> type) {
        List<String> leaks = new ArrayList<>();
        check(type.getName() + " extends", type.getGenericSuperclass(), leaks);
        for (Type implemented : type.getGenericInterfaces()) {
            check(type.getName() + " implements", implemented, leaks);
        }
        List<Executable> members = new ArrayList<>(List.of(type.getDeclaredMethods()));
        members.addAll(List.of(type.getDeclaredConstructors()));
        for (Executable member : members) {
            if (!visible(member.getModifiers())
                    || member.isSynthetic()
                    || member instanceof Method method && method.isBridge()) {
                continue;
            }
            String where = type.getName() + "." + member.getName();
            if (member instanceof Method method) {
                check(where + " returns", method.getGenericReturnType(), leaks);
            }
            for (Type parameter : member.getGenericParameterTypes()) {
                check(where + " takes", parameter, leaks);
            }
            for (Type thrown : member.getGenericExceptionTypes()) {
                check(where + " throws", thrown, leaks);
            }
        }
        for (Field field : type.getDeclaredFields()) {
            if (visible(field.getModifiers()) && !field.isSynthetic()) {
                check(type.getName() + "." + field.getName(), field.getGenericType(), leaks);
            }
        }
        return leaks;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void check(String where, Type type, List<String> leaks) {
        if (type == null) {
            return;
        }
        if (type instanceof ParameterizedType parameterized) {
            check(where, parameterized.getRawType(), leaks);
            for (Type argument : parameterized.getActualTypeArguments()) {
                check(where, argument, leaks);
            }
        } else if (type instanceof GenericArrayType array) {
            check(where, array.getGenericComponentType(), leaks);
        } else if (type instanceof WildcardType wildcard) {
            for (Type bound : wildcard.getUpperBounds()) {
                check(where, bound, leaks);
            }
            for (Type bound : wildcard.getLowerBounds()) {
                check(where, bound, leaks);
            }
        } else if (type instanceof TypeVariable<?> variable) {
            for (Type bound : variable.getBounds()) {
                check(where, bound, leaks);
            }
        } else if (type instanceof Class<?> named) {
            Class<?> element = named;
            while (element.isArray()) {
                element = element.getComponentType();
            }
            if (!allowed(element)) {
                leaks.add(where + " " + element.getName());
            }
        }
    }

    private static boolean allowed(Class<?> type) {
        String name = type.getName();
        return type.isPrimitive()
                || name.startsWith("java.")
                || name.startsWith("javax.")
                || type.getPackageName().equals(SDK_PACKAGE)
                || ALLOWED_FOREIGN.contains(name);
    }
}

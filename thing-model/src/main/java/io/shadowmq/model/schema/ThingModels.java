package io.shadowmq.model.schema;

import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The thing models the platform knows, by type id: an immutable registry, loaded once at start-up.
 *
 * <p>{@link #bundled()} reads the models shipped inside the thing-model jar (copied there from
 * {@code config/models/} by the build); {@link #loadDirectory(Path)} reads an operator's own directory. Both
 * refuse the whole set if any one model is broken: running with a model the platform misunderstands would
 * reject or accept the wrong updates.
 *
 * <pre>{@code
 * ThingModels models = ThingModels.bundled();
 * models.types();                 // [car, fridge, speaker, washer]
 * models.get("car").orElseThrow().schemaAt("range");
 * }</pre>
 *
 * @param models the models by type id, sorted by type id
 */
public record ThingModels(@NotNull Map<String, ThingModel> models) {

    /** Where the build puts {@code config/models/*.json} on the classpath. */
    public static final String BUNDLED_RESOURCE_DIRECTORY = "shadowmq/models";

    private static final String MODEL_FILE_SUFFIX = ".json";

    public ThingModels {
        Objects.requireNonNull(models, "models");
        models.forEach((type, model) -> {
            if (!Objects.requireNonNull(model, "model").type().equals(type)) {
                throw new IllegalArgumentException(
                        "model of type '" + model.type() + "' registered as '" + ThingId.printable(type) + "'");
            }
        });
        // Sorted, so that listings (GET /api/v1/models, docs) come out the same on every machine.
        models = Collections.unmodifiableMap(new TreeMap<>(models));
    }

    /**
     * Loads every {@code <type>.json} directly in {@code directory} (hidden files and other names are skipped).
     *
     * @throws ModelLoadException when the directory cannot be read, holds no model, or any model is invalid
     */
    public static @NotNull ThingModels loadDirectory(@NotNull Path directory) {
        String where = directory.toString();
        if (!Files.isDirectory(directory)) {
            throw new ModelLoadException(where, "", "not a directory");
        }
        List<Path> files;
        try (Stream<Path> entries = Files.list(directory)) {
            files = entries.filter(file -> isModelFileName(file.getFileName().toString()))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new ModelLoadException(where, "", "cannot list the directory: " + e.getMessage(), e);
        }
        List<ThingModel> models = new ArrayList<>();
        for (Path file : files) {
            String fileName = file.getFileName().toString();
            try {
                models.add(ThingModelParser.parse(fileName, Files.readAllBytes(file)));
            } catch (IOException e) {
                throw new ModelLoadException(fileName, "", "cannot read: " + e.getMessage(), e);
            }
        }
        return registry(where, models);
    }

    /**
     * The models shipped with ShadowMQ ({@code config/models/} in the source tree), read from the classpath
     * under {@value #BUNDLED_RESOURCE_DIRECTORY}, whether that is a directory (tests, IDE) or a jar.
     *
     * @throws ModelLoadException when the models are missing from the classpath or one is invalid (a broken build)
     */
    public static @NotNull ThingModels bundled() {
        return bundled(ThingModels.class.getClassLoader());
    }

    /** {@link #bundled()} from a given class loader; for tests that build a jar. */
    static @NotNull ThingModels bundled(@NotNull ClassLoader classLoader) {
        String where = "classpath:" + BUNDLED_RESOURCE_DIRECTORY;
        URL url = classLoader.getResource(BUNDLED_RESOURCE_DIRECTORY);
        if (url == null) {
            throw new ModelLoadException(where, "", "no bundled thing models on the classpath");
        }
        try {
            return switch (url.getProtocol()) {
                case "file" -> loadDirectory(Path.of(url.toURI()));
                case "jar" -> loadJar(where, url);
                default -> throw new ModelLoadException(where, "", "cannot list models inside " + url);
            };
        } catch (URISyntaxException | IOException e) {
            throw new ModelLoadException(where, "", "cannot read " + url + ": " + e.getMessage(), e);
        }
    }

    /** The model for things of {@code type}, e.g. {@code "car"}; empty for a type no model defines. */
    public @NotNull Optional<ThingModel> get(@NotNull String type) {
        return type == null ? Optional.empty() : Optional.ofNullable(models.get(type));
    }

    /** The known type ids, sorted. */
    public @NotNull Set<String> types() {
        return models.keySet();
    }

    /**
     * Lists the jar's entries rather than opening a zip FileSystem: a FileSystem per jar URI is a JVM-wide
     * singleton that another caller may hold open (or close under us).
     */
    private static ThingModels loadJar(String where, URL url) throws IOException {
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        // Without caching we get our own JarFile, which we may close; the cached one is shared JVM-wide.
        connection.setUseCaches(false);
        String prefix = BUNDLED_RESOURCE_DIRECTORY + "/";
        List<ThingModel> models = new ArrayList<>();
        try (JarFile jar = connection.getJarFile()) {
            List<JarEntry> entries = new ArrayList<>();
            for (Enumeration<JarEntry> all = jar.entries(); all.hasMoreElements(); ) {
                JarEntry entry = all.nextElement();
                String name = entry.getName();
                if (!entry.isDirectory()
                        && name.startsWith(prefix)
                        && isModelFileName(name.substring(prefix.length()))) {
                    entries.add(entry);
                }
            }
            entries.sort((a, b) -> a.getName().compareTo(b.getName()));
            for (JarEntry entry : entries) {
                try (InputStream in = jar.getInputStream(entry)) {
                    models.add(ThingModelParser.parse(entry.getName().substring(prefix.length()), in.readAllBytes()));
                }
            }
        }
        return registry(where, models);
    }

    /** Model files are {@code *.json} directly in the directory; hidden files (editor swap files, ...) are not. */
    private static boolean isModelFileName(String name) {
        return name.endsWith(MODEL_FILE_SUFFIX) && !name.startsWith(".") && !name.contains("/");
    }

    private static ThingModels registry(String where, List<ThingModel> models) {
        if (models.isEmpty()) {
            throw new ModelLoadException(where, "", "no thing models (*.json) found");
        }
        Map<String, ThingModel> byType = new TreeMap<>();
        models.forEach(model -> byType.put(model.type(), model));
        return new ThingModels(byType);
    }
}

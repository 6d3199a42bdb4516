package io.shadowmq.model.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Loading the registry from a directory and from the classpath, whether that is a directory or a jar. */
class ThingModelsTest {

    static final Path SHIPPED_MODELS = Path.of("..", "config", "models");
    private static final String SPEAKER = ThingModelParserTest.modelWith(
                    "'volume':{'title':'Volume','type':'integer','unit':'percent','minimum':0,'maximum':100}")
            .replace('\'', '"');

    @TempDir
    Path directory;

    @Test
    void shippedDirectoryHoldsTheFourContractModels() {
        assertThat(ThingModels.loadDirectory(SHIPPED_MODELS).types())
                .containsExactly("car", "fridge", "speaker", "washer");
    }

    @Test
    void bundledModelsAreExactlyTheShippedFiles() {
        assertThat(ThingModels.bundled()).isEqualTo(ThingModels.loadDirectory(SHIPPED_MODELS));
    }

    @Test
    void bundledModelsAreFoundInsideAJar() throws IOException {
        // given a jar laid out as the build lays out thing-model.jar, including directory entries
        Path jar = directory.resolve("models.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String dir : new String[] {"shadowmq/", "shadowmq/models/", "shadowmq/models/nested/"}) {
                out.putNextEntry(new JarEntry(dir));
                out.closeEntry();
            }
            putEntry(out, "shadowmq/models/speaker.json", SPEAKER);
            putEntry(out, "shadowmq/models/nested/ignored.json", "not even JSON");
            putEntry(out, "shadowmq/models/README.md", "not a model");
        }

        // when loading from a class loader that only sees that jar
        ThingModels models;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            models = ThingModels.bundled(loader);
        }

        // then exactly the model directly in the models directory is loaded
        assertThat(models.types()).containsExactly("speaker");
    }

    @Test
    void missingBundledModelsAreABrokenBuild() throws IOException {
        try (URLClassLoader empty =
                new URLClassLoader(new URL[] {directory.toUri().toURL()}, null)) {
            assertThatThrownBy(() -> ThingModels.bundled(empty))
                    .isInstanceOf(ModelLoadException.class)
                    .hasMessage("classpath:shadowmq/models: no bundled thing models on the classpath");
        }
    }

    @Test
    void otherFilesAndHiddenFilesInTheDirectoryAreSkipped() throws IOException {
        Files.writeString(directory.resolve("speaker.json"), SPEAKER);
        Files.writeString(directory.resolve("README.md"), "# models");
        Files.writeString(directory.resolve(".speaker.json"), "editor leftovers");
        Files.writeString(directory.resolve("car.json.bak"), "{");
        Files.createDirectory(directory.resolve("old.json"));

        assertThat(ThingModels.loadDirectory(directory).types()).containsExactly("speaker");
    }

    @Test
    void oneBrokenModelRefusesTheWholeDirectory() throws IOException {
        Files.writeString(directory.resolve("speaker.json"), SPEAKER);
        Files.writeString(directory.resolve("fridge.json"), SPEAKER.replace("\"integer\"", "\"float\""));

        assertThatThrownBy(() -> ThingModels.loadDirectory(directory))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith("fridge.json: properties.volume.type: unknown type 'float'");
    }

    @Test
    void fileNameThatIsNotATypeIdIsRefused() throws IOException {
        Files.writeString(directory.resolve("smart speaker.json"), SPEAKER);

        assertThatThrownBy(() -> ThingModels.loadDirectory(directory))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith("smart speaker.json: a model file must be named <type>.json");
    }

    @Test
    void directoryWithoutModelsIsRefused() {
        assertThatThrownBy(() -> ThingModels.loadDirectory(directory))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage(directory + ": no thing models (*.json) found");
    }

    @Test
    void missingDirectoryIsRefused() {
        Path missing = directory.resolve("nope");

        assertThatThrownBy(() -> ThingModels.loadDirectory(missing))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage(missing + ": not a directory");
    }

    @Test
    void unknownTypeIsAbsent() {
        ThingModels models = ThingModels.bundled();

        assertThat(models.get("toaster")).isEmpty();
        assertThat(models.get("car")).map(ThingModel::title).contains("Car");
    }

    @Test
    void registryAndModelsCannotBeChangedFromOutside() {
        ThingModels models = ThingModels.bundled();
        ThingModel car = models.get("car").orElseThrow();

        // when someone edits what they were given
        ((ObjectNode) car.raw()).put("title", "Hacked");

        // then the model is unchanged, and the collections refuse changes
        assertThat(car.raw().get("title").asText()).isEqualTo("Car");
        assertThatThrownBy(() -> models.models().remove("car")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> car.properties().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void registryRefusesAModelUnderAnotherTypeId() {
        ThingModel car = ThingModels.bundled().get("car").orElseThrow();

        assertThatThrownBy(() -> new ThingModels(Map.of("truck", car)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model of type 'car' registered as 'truck'");
    }

    private static void putEntry(JarOutputStream jar, String name, String content) throws IOException {
        jar.putNextEntry(new JarEntry(name));
        OutputStream out = jar;
        out.write(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        jar.closeEntry();
    }
}

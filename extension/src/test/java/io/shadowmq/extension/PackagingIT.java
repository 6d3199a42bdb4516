package io.shadowmq.extension;

import io.shadowmq.extension.harness.EmbeddedBroker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator unzips into HiveMQ's extensions/ directory: one folder with the descriptor, one self-contained jar
 * and conf/ - and that jar bundles its libraries but not what HiveMQ's extension classloader takes from the broker.
 */
class PackagingIT {

    private static final String VERSION = System.getProperty("shadowmq.extension.version", "0.1.0-SNAPSHOT");
    private static final String JAR = "shadowmq-extension-" + VERSION + ".jar";

    private static Path folder;
    private static Path zip;

    @BeforeAll
    static void packaged() {
        folder = EmbeddedBroker.packagedExtensionFolder();
        zip = Path.of(System.getProperty("shadowmq.extension.zip", "target/shadowmq-extension-" + VERSION + ".zip"));
    }

    @Test
    void zipHoldsExactlyTheFolderUnderOneTopLevelDirectory() throws IOException {
        Set<String> zipped = new TreeSet<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (Enumeration<? extends ZipEntry> entries = file.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                assertThat(entry.getName()).startsWith("shadowmq-extension/");
                if (!entry.isDirectory()) {
                    zipped.add(entry.getName().substring("shadowmq-extension/".length()));
                }
            }
        }

        assertThat(zipped)
                .isEqualTo(filesIn(folder))
                .contains(
                        "hivemq-extension.xml",
                        JAR,
                        "conf/config.xml",
                        "conf/examples/config-env.xml",
                        "conf/examples/redis-sentinel.yaml",
                        "conf/examples/redis-cluster.yaml");
    }

    @Test
    void descriptorCarriesIdNameVersionAndPriorities() throws Exception {
        Document descriptor = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(folder.resolve("hivemq-extension.xml").toFile());

        assertThat(text(descriptor, "id")).isEqualTo("shadowmq-extension");
        assertThat(text(descriptor, "name")).isEqualTo("ShadowMQ Device Shadows");
        assertThat(text(descriptor, "version")).isEqualTo(VERSION);
        assertThat(Integer.parseInt(text(descriptor, "priority"))).isNotNegative();
        assertThat(Integer.parseInt(text(descriptor, "start-priority"))).isNotNegative();
    }

    @Test
    void folderHoldsExactlyOneJarSoHiveMqLoadsNoStaleVersion() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".jar")))
                    .containsExactly(JAR);
        }
    }

    @Test
    void jarBundlesTheExtensionAndItsLibraries() throws IOException {
        try (JarFile jar = new JarFile(folder.resolve(JAR).toFile())) {
            assertThat(jar.getEntry("io/shadowmq/extension/ShadowExtensionMain.class"))
                    .isNotNull();
            assertThat(jar.getEntry("io/shadowmq/model/thing/ThingId.class"))
                    .as("thing-model")
                    .isNotNull();
            assertThat(jar.getEntry("org/redisson/Redisson.class"))
                    .as("Redisson")
                    .isNotNull();
            assertThat(jar.getEntry("com/fasterxml/jackson/databind/ObjectMapper.class"))
                    .as("Jackson")
                    .isNotNull();
            assertThat(jar.getEntry("com/github/benmanes/caffeine/cache/Caffeine.class"))
                    .as("Caffeine")
                    .isNotNull();
            assertThat(new String(
                            jar.getInputStream(jar.getEntry("META-INF/io.netty.versions.properties"))
                                    .readAllBytes(),
                            StandardCharsets.ISO_8859_1))
                    .as("Netty 4.2, every module's version kept")
                    .contains(
                            "netty-common.version=4.2.",
                            "netty-transport.version=4.2.",
                            "netty-handler.version=4.2.",
                            "netty-resolver.version=4.2.");
            assertThat(new String(
                                    jar.getInputStream(jar.getEntry(
                                                    "META-INF/services/com.hivemq.extension.sdk.api.ExtensionMain"))
                                            .readAllBytes(),
                                    StandardCharsets.UTF_8)
                            .strip())
                    .isEqualTo("io.shadowmq.extension.ShadowExtensionMain");
        }
    }

    @Test
    void jarLeavesOutWhatTheBrokerProvidesAndAnySignature() throws IOException {
        List<String> forbidden;
        try (JarFile jar = new JarFile(folder.resolve(JAR).toFile())) {
            forbidden = jar.stream()
                    .map(ZipEntry::getName)
                    .filter(name -> name.startsWith("com/hivemq/extension/sdk/")
                            || name.startsWith("org/slf4j/")
                            || name.startsWith("ch/qos/logback/")
                            || name.startsWith("com/codahale/metrics/")
                            || name.startsWith("org/jetbrains/annotations/")
                            || name.matches("META-INF/[^/]+\\.(SF|DSA|RSA)")
                            || name.endsWith("module-info.class"))
                    .collect(Collectors.toList());
        }

        assertThat(forbidden).isEmpty();
    }

    @Test
    void shippedConfigKeepsItsEnvironmentPlaceholders() throws IOException {
        String shipped = Files.readString(folder.resolve("conf/config.xml"));

        assertThat(shipped)
                .contains("<pepper>${SHADOWMQ_PEPPER}</pepper>")
                .isEqualTo(Files.readString(Path.of("src/hivemq-extension/conf/config.xml")));
    }

    private static Set<String> filesIn(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(file -> root.relativize(file).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static String text(Document document, String element) {
        return document.getDocumentElement()
                .getElementsByTagName(element)
                .item(0)
                .getTextContent()
                .strip();
    }
}

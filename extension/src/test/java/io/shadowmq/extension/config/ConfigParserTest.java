package io.shadowmq.extension.config;

import io.shadowmq.store.Pepper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigParserTest {

    private static final String PEPPER = "0123456789abcdef";

    @TempDir
    Path home;

    private final ConfigParser parser =
            new ConfigParser(EnvSubstitution.of(Map.of("SHADOWMQ_PEPPER", PEPPER, "REDIS_HOST", "redis.internal")));

    @Test
    void onlyThePepperGivesEveryDefault() throws Exception {
        ExtensionConfig config = parse("<shadowmq><pepper>" + PEPPER + "</pepper></shadowmq>");

        assertThat(config.redis()).isEqualTo(RedisConnection.DEFAULT);
        assertThat(config.storeTimeout()).isEqualTo(Duration.ofMillis(2000));
        assertThat(config.pepper()).isEqualTo(Pepper.parse(PEPPER));
        assertThat(config.thingModelsDir()).isEmpty();
        assertThat(config.maxPayloadBytes()).isEqualTo(65_536);
        assertThat(config.maxStateBytes()).isEqualTo(32_768);
        assertThat(config.rateLimit()).isEqualTo(new RateLimit(20, 40));
        assertThat(config.authFailureLimit())
                .isEqualTo(new AuthFailureLimit(15, 100, Duration.ofMinutes(1), Duration.ofMinutes(5)));
        assertThat(config.credentialCache()).isEqualTo(new CredentialCache(Duration.ofSeconds(60), 10_000));
        assertThat(config.connectQueue()).isEqualTo(new ConnectQueue(256, Duration.ofSeconds(10)));
        assertThat(config.presenceLease())
                .isEqualTo(new PresenceLease(Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofSeconds(5)));
        assertThat(config.feed()).isEqualTo(new ChangeFeedSettings(8, 100_000));
    }

    @Test
    void everySettingIsRead() throws Exception {
        Files.createDirectories(home.resolve("models"));

        ExtensionConfig config = parse("""
                <shadowmq>
                    <redis>
                        <address>redis://${REDIS_HOST}:6380</address>
                        <timeout-ms>750</timeout-ms>
                    </redis>
                    <pepper>${SHADOWMQ_PEPPER}</pepper>
                    <thing-models-dir>models</thing-models-dir>
                    <shadow>
                        <max-payload-bytes>1000</max-payload-bytes>
                        <max-state-bytes>500</max-state-bytes>
                        <updates-per-second>5</updates-per-second>
                        <update-burst>10</update-burst>
                    </shadow>
                    <authentication>
                        <failure-limit>3</failure-limit>
                        <source-failure-limit>9</source-failure-limit>
                        <failure-window-seconds>30</failure-window-seconds>
                        <block-seconds>600</block-seconds>
                        <credential-cache-ttl-seconds>0</credential-cache-ttl-seconds>
                        <credential-cache-size>1_000</credential-cache-size>
                        <concurrent-checks>32</concurrent-checks>
                        <connect-wait-seconds>3</connect-wait-seconds>
                    </authentication>
                    <presence>
                        <lease-seconds>6</lease-seconds>
                        <lease-renew-seconds>2</lease-renew-seconds>
                        <reap-interval-seconds>3</reap-interval-seconds>
                    </presence>
                    <feed>
                        <partitions>16</partitions>
                        <max-length>5_000</max-length>
                    </feed>
                </shadowmq>
                """);

        assertThat(config.redis()).hasToString("redis://redis.internal:6380");
        assertThat(config.storeTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(config.thingModelsDir())
                .contains(home.resolve("models").toAbsolutePath().normalize());
        assertThat(config.maxPayloadBytes()).isEqualTo(1000);
        assertThat(config.maxStateBytes()).isEqualTo(500);
        assertThat(config.rateLimit()).isEqualTo(new RateLimit(5, 10));
        assertThat(config.authFailureLimit())
                .isEqualTo(new AuthFailureLimit(3, 9, Duration.ofSeconds(30), Duration.ofMinutes(10)));
        assertThat(config.credentialCache()).isEqualTo(new CredentialCache(Duration.ZERO, 1000));
        assertThat(config.connectQueue()).isEqualTo(new ConnectQueue(32, Duration.ofSeconds(3)));
        assertThat(config.presenceLease())
                .isEqualTo(new PresenceLease(Duration.ofSeconds(6), Duration.ofSeconds(2), Duration.ofSeconds(3)));
        assertThat(config.feed()).isEqualTo(new ChangeFeedSettings(16, 5000));
    }

    @Test
    void aLeaseRenewedNoMoreOftenThanItLivesIsRefusedByName() {
        assertThatThrownBy(() -> parse("<shadowmq><pepper>" + PEPPER + "</pepper><presence><lease-seconds>5"
                        + "</lease-seconds><lease-renew-seconds>5</lease-renew-seconds></presence></shadowmq>"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("<shadowmq>/<presence>/<lease-renew-seconds> (5s) must be less than "
                        + "<shadowmq>/<presence>/<lease-seconds> (5s)");
    }

    @Test
    void missingEnvironmentVariableNamesTheVariableTheElementAndTheFile() {
        assertThatThrownBy(() -> parse("<shadowmq><pepper>${SHADOWMQ_PEPPER_TYPO}</pepper></shadowmq>"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("environment variable SHADOWMQ_PEPPER_TYPO is not set (needed by <shadowmq>/<pepper> in "
                        + configFile() + ")");
    }

    @Test
    void messagesAreOneLine() {
        assertThatThrownBy(() -> parse("<shadowmq>\n<pepper>\n${NOPE}\n</pepper>\n</shadowmq>"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void missingPepperIsRefused() {
        assertThatThrownBy(() -> parse("<shadowmq/>")).hasMessageStartingWith("<shadowmq>/<pepper> is required");
        assertThatThrownBy(() -> parse("<shadowmq><pepper>  </pepper></shadowmq>"))
                .hasMessageStartingWith("<shadowmq>/<pepper> is required");
    }

    @Test
    void shortPepperIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> parse("<shadowmq><pepper>short-secret</pepper></shadowmq>"))
                .hasMessageStartingWith("<shadowmq>/<pepper> pepper must be at least 16 bytes, has 12")
                .hasMessageNotContaining("short-secret");
    }

    @Test
    void unknownElementIsRefusedByName() {
        assertThatThrownBy(() -> parse("<shadowmq><pepper>" + PEPPER + "</pepper>"
                        + "<redis><adress>redis://x:1</adress></redis></shadowmq>"))
                .hasMessage("unknown element <adress> in <shadowmq>/<redis> of " + configFile()
                        + " (allowed: address, netty-threads, password, redisson-config, replica-acks, timeout-ms)");
    }

    @Test
    void replicaAcksAreZeroUnlessSetAndRefusedOutOfRange() throws Exception {
        assertThat(parse("<shadowmq><pepper>" + PEPPER + "</pepper></shadowmq>").replicaAcks())
                .isZero();
        assertThat(parse("<shadowmq><pepper>" + PEPPER + "</pepper>"
                                + "<redis><replica-acks>1</replica-acks></redis></shadowmq>")
                        .replicaAcks())
                .isEqualTo(1);
        assertThatThrownBy(() -> parse("<shadowmq><pepper>" + PEPPER + "</pepper>"
                        + "<redis><replica-acks>-1</replica-acks></redis></shadowmq>"))
                .hasMessageStartingWith("<shadowmq>/<redis>/<replica-acks> must be a whole number from 0 to 16");
    }

    @Test
    void commaSeparatedAddressesAreTheNodesOfARedisCluster() throws Exception {
        ExtensionConfig config = parse("<shadowmq><pepper>" + PEPPER + "</pepper>"
                + "<redis><address>redis://10.0.0.1:7000,redis://10.0.0.2:7000</address></redis></shadowmq>");

        assertThat(config.redis()).isInstanceOf(RedisConnection.ClusterNodes.class);
        assertThat(((RedisConnection.ClusterNodes) config.redis()).nodes()).hasSize(2);
    }

    @Test
    void unknownTopLevelElementIsRefused() {
        assertThatThrownBy(() -> parse("<shadowmq><pepper>" + PEPPER + "</pepper><debug>true</debug></shadowmq>"))
                .hasMessageStartingWith("unknown element <debug> in <shadowmq> of ");
    }

    @Test
    void wrongRootElementIsRefused() {
        assertThatThrownBy(() -> parse("<hivemq><pepper>" + PEPPER + "</pepper></hivemq>"))
                .hasMessageStartingWith("root element must be <shadowmq>, is <hivemq>");
    }

    @Test
    void duplicateElementIsRefused() {
        assertThatThrownBy(() ->
                        parse("<shadowmq><pepper>" + PEPPER + "</pepper><pepper>" + PEPPER + "</pepper></shadowmq>"))
                .hasMessageStartingWith("element <pepper> appears twice in <shadowmq>");
    }

    @Test
    void unknownAttributeIsRefusedButSchemaHintsAreNot() throws Exception {
        assertThatThrownBy(() -> parse("<shadowmq><pepper enabled=\"true\">" + PEPPER + "</pepper></shadowmq>"))
                .hasMessageStartingWith("unknown attribute enabled on <shadowmq>/<pepper>");

        assertThat(parse("<shadowmq xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                        + "xsi:noNamespaceSchemaLocation=\"config.xsd\"><pepper>" + PEPPER + "</pepper></shadowmq>"))
                .isNotNull();
    }

    @Test
    void valueWhereASectionBelongsIsRefused() {
        assertThatThrownBy(() ->
                        parse("<shadowmq><pepper>" + PEPPER + "</pepper>" + "<redis>redis://x:1</redis></shadowmq>"))
                .hasMessageStartingWith("<shadowmq>/<redis> holds elements, not text");
    }

    @Test
    void sectionWhereAValueBelongsIsRefused() {
        assertThatThrownBy(() -> parse("<shadowmq><pepper><value>" + PEPPER + "</value></pepper></shadowmq>"))
                .hasMessageStartingWith("<shadowmq>/<pepper> holds a value, not the element <value>");
    }

    @Test
    void emptyValueMeansTheDefault() throws Exception {
        ExtensionConfig config = parse("<shadowmq><pepper>" + PEPPER + "</pepper>"
                + "<redis><address>${UNSET:-}</address><timeout-ms/></redis>"
                + "<thing-models-dir></thing-models-dir></shadowmq>");

        assertThat(config.redis()).isEqualTo(RedisConnection.DEFAULT);
        assertThat(config.storeTimeout()).isEqualTo(ExtensionConfig.DEFAULT_STORE_TIMEOUT);
        assertThat(config.thingModelsDir()).isEmpty();
    }

    @Test
    void numbersOutOfRangeOrNotNumbersAreRefusedWithTheRange() {
        assertThatThrownBy(() -> parse("<shadowmq><pepper>" + PEPPER + "</pepper>"
                        + "<redis><timeout-ms>0</timeout-ms></redis></shadowmq>"))
                .hasMessageStartingWith("<shadowmq>/<redis>/<timeout-ms> must be a duration from 1ms to 1m")
                .hasMessageContaining("is '0'");
        assertThatThrownBy(() -> parse("<shadowmq><pepper>" + PEPPER + "</pepper>"
                        + "<shadow><max-payload-bytes>64k</max-payload-bytes></shadow></shadowmq>"))
                .hasMessageStartingWith("<shadowmq>/<shadow>/<max-payload-bytes> must be a whole number");
        assertThatThrownBy(() -> parse("<shadowmq><pepper>" + PEPPER + "</pepper>"
                        + "<authentication><failure-limit>-1</failure-limit></authentication></shadowmq>"))
                .hasMessageStartingWith("<shadowmq>/<authentication>/<failure-limit> must be a whole number");
        assertThatThrownBy(() -> parse("<shadowmq><pepper>" + PEPPER + "</pepper>"
                        + "<feed><partitions>0</partitions></feed></shadowmq>"))
                .hasMessageStartingWith("<shadowmq>/<feed>/<partitions> must be a whole number from 1 to 1024, is '0'");
        assertThatThrownBy(() -> parse("<shadowmq><pepper>" + PEPPER + "</pepper>"
                        + "<feed><max-length>99</max-length></feed></shadowmq>"))
                .hasMessageStartingWith("<shadowmq>/<feed>/<max-length> must be a whole number from 100 to ");
    }

    @Test
    void aBadValueFromTheEnvironmentNamesTheVariableTheOperatorSet() throws IOException {
        ConfigParser fromEnvironment = new ConfigParser(EnvSubstitution.of(Map.of(
                "SHADOWMQ_PEPPER", "short",
                "SHADOWMQ_UPDATES_PER_SECOND", "fast",
                "SHADOWMQ_REDIS_ADDRESS", "tcp://user:pw-secret@redis:6379")));
        Files.createDirectories(home.resolve("conf"));

        Files.writeString(
                home.resolve("conf/config.xml"),
                "<shadowmq><pepper>" + PEPPER + "</pepper><shadow>"
                        + "<updates-per-second>${SHADOWMQ_UPDATES_PER_SECOND:-20}</updates-per-second></shadow></shadowmq>");
        assertThatThrownBy(() -> fromEnvironment.parse(home))
                .hasMessage("<shadowmq>/<shadow>/<updates-per-second> "
                        + "must be a whole number from 1 to 100000, is 'fast' (from environment variable "
                        + "SHADOWMQ_UPDATES_PER_SECOND) (in " + configFile() + ")");

        Files.writeString(home.resolve("conf/config.xml"), "<shadowmq><pepper>${SHADOWMQ_PEPPER}</pepper></shadowmq>");
        assertThatThrownBy(() -> fromEnvironment.parse(home))
                .hasMessageStartingWith("<shadowmq>/<pepper> pepper must be at least 16 bytes, has 5 "
                        + "(from environment variable SHADOWMQ_PEPPER)")
                .hasMessageNotContaining("short");

        Files.writeString(
                home.resolve("conf/config.xml"),
                "<shadowmq><pepper>" + PEPPER + "</pepper>"
                        + "<redis><address>${SHADOWMQ_REDIS_ADDRESS}</address></redis></shadowmq>");
        assertThatThrownBy(() -> fromEnvironment.parse(home))
                .hasMessageContaining("(from environment variable SHADOWMQ_REDIS_ADDRESS)")
                .hasMessageNotContaining("pw-secret");
    }

    @Test
    void burstBelowTheSustainedRateIsRefused() {
        assertThatThrownBy(() -> parse("<shadowmq><pepper>" + PEPPER + "</pepper>"
                        + "<shadow><updates-per-second>50</updates-per-second></shadow></shadowmq>"))
                .hasMessageStartingWith(
                        "<shadowmq>/<shadow>/<update-burst> (40) must be at least " + "<updates-per-second> (50)");
    }

    @Test
    void invalidRedisAddressIsRefusedWithoutRepeatingIt() {
        assertThatThrownBy(() -> parse("<shadowmq><pepper>" + PEPPER + "</pepper>"
                        + "<redis><address>tcp://user:pw-secret@redis:6379</address></redis></shadowmq>"))
                .hasMessageStartingWith("<shadowmq>/<redis>/<address> must start with redis:// or rediss://")
                .hasMessageNotContaining("pw-secret");
    }

    @Test
    void redissonConfigIsResolvedAgainstTheExtensionFolder() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/redisson.yaml"), "singleServerConfig: {}\n");

        ExtensionConfig config = parse("<shadowmq><pepper>" + PEPPER + "</pepper>"
                + "<redis><redisson-config>conf/redisson.yaml</redisson-config></redis></shadowmq>");

        assertThat(config.redis())
                .isEqualTo(new RedisConnection.RedissonConfigFile(
                        home.resolve("conf/redisson.yaml").toAbsolutePath().normalize()));
    }

    @Test
    void missingRedissonConfigFileIsRefused() {
        assertThatThrownBy(() -> parse("<shadowmq><pepper>" + PEPPER + "</pepper>"
                        + "<redis><redisson-config>conf/nope.yaml</redisson-config></redis></shadowmq>"))
                .hasMessageStartingWith("<shadowmq>/<redis>/<redisson-config> names ")
                .hasMessageContaining("nope.yaml, which is not a readable file");
    }

    @Test
    void addressAndRedissonConfigTogetherAreRefused() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/redisson.yaml"), "singleServerConfig: {}\n");

        assertThatThrownBy(() -> parse("<shadowmq><pepper>" + PEPPER + "</pepper><redis>"
                        + "<address>redis://x:1</address><redisson-config>conf/redisson.yaml</redisson-config>"
                        + "</redis></shadowmq>"))
                .hasMessageStartingWith("<shadowmq>/<redis>/<redisson-config> is set together with "
                        + "<shadowmq>/<redis>/<address>; set one");
    }

    @Test
    void thingModelsDirMustExist() {
        assertThatThrownBy(() -> parse("<shadowmq><pepper>" + PEPPER + "</pepper>"
                        + "<thing-models-dir>/no/such/models</thing-models-dir></shadowmq>"))
                .hasMessageStartingWith(
                        "<shadowmq>/<thing-models-dir> names /no/such/models, " + "which is not a directory");
    }

    @Test
    void missingFileIsReportedWithItsPath() {
        assertThatThrownBy(() -> parser.parse(home)).hasMessage("configuration file " + configFile() + " is missing");
    }

    @Test
    void malformedXmlIsReportedWithLineAndColumn() {
        assertThatThrownBy(() -> parse("<shadowmq>\n<pepper>x</peper>\n</shadowmq>"))
                .hasMessageStartingWith("cannot parse " + configFile() + ": line 2, column ");
    }

    @Test
    void commentsMayMentionPlaceholdersOfUnsetVariables() throws Exception {
        ExtensionConfig config =
                parse("<shadowmq><!-- e.g. ${SOMETHING_UNSET} --><pepper>" + PEPPER + "</pepper></shadowmq>");

        assertThat(config.pepper().length()).isEqualTo(16);
    }

    @Test
    void toStringOfTheWholeConfigIsSafeToLog() throws Exception {
        ExtensionConfig config = parse("<shadowmq><pepper>" + PEPPER + "</pepper>"
                + "<redis><address>redis://u:topsecret@redis:6379</address></redis></shadowmq>");

        assertThat(config.toString()).doesNotContain(PEPPER).doesNotContain("topsecret");
    }

    private ExtensionConfig parse(String xml) throws IOException, InvalidConfigException {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/config.xml"), xml);
        return parser.parse(home);
    }

    private Path configFile() {
        return home.toAbsolutePath().normalize().resolve("conf/config.xml");
    }
}

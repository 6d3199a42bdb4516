package io.shadowmq.extension;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import io.shadowmq.extension.auth.CredentialVerifier;
import io.shadowmq.extension.auth.DeviceAuthenticator;
import io.shadowmq.extension.config.ConfigParser;
import io.shadowmq.extension.config.EnvSubstitution;
import io.shadowmq.extension.config.ExtensionConfig;
import io.shadowmq.extension.config.InvalidConfigException;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Wires the extension together when HiveMQ starts it, and nothing else: reads {@code conf/config.xml} from the
 * extension folder, and registers the device authenticator. An unusable configuration stops the start with a
 * one-line reason in the broker log (ERROR); HiveMQ then runs without the extension and, having no authenticator,
 * refuses every CONNECT with "not authorized" (the CE distribution's default; embedded HiveMQ must be told to).
 * <p>
 * Until the shadow store is wired in, the authenticator checks the form of every CONNECT and answers every
 * well-formed one "server unavailable": no device is ever let in unverified.
 * <pre>{@code
 * // HiveMQ finds this class through META-INF/services/com.hivemq.extension.sdk.api.ExtensionMain
 * // and calls extensionStart(...) on one of its own threads while the broker starts.
 * }</pre>
 */
public final class ShadowExtensionMain implements ExtensionMain {

    private static final Logger log = LoggerFactory.getLogger(ShadowExtensionMain.class);

    @Override
    public void extensionStart(@NotNull ExtensionStartInput input, @NotNull ExtensionStartOutput output) {
        Path home = input.getExtensionInformation().getExtensionHomeFolder().toPath();
        ExtensionConfig config;
        try {
            config = new ConfigParser(EnvSubstitution.ofSystemEnvironment()).parse(home);
        } catch (InvalidConfigException e) {
            // HiveMQ logs the reason too, but at INFO; a broker that refuses every device deserves an ERROR.
            log.error("ShadowMQ extension not started: {}", e.getMessage());
            output.preventExtensionStartup(e.getMessage());
            return;
        }

        CredentialVerifier verifier = CredentialVerifier.unavailable("no credential store connected yet");
        DeviceAuthenticator authenticator = new DeviceAuthenticator(verifier, config.storeTimeout());
        Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);

        log.info("ShadowMQ extension {} started: redis {}, store timeout {} ms, thing models {}",
                input.getExtensionInformation().getVersion(), config.redis(), config.storeTimeout().toMillis(),
                config.thingModelsDir().map(Path::toString).orElse("bundled"));
    }

    @Override
    public void extensionStop(@NotNull ExtensionStopInput input, @NotNull ExtensionStopOutput output) {
        log.info("ShadowMQ extension stopped");
    }
}

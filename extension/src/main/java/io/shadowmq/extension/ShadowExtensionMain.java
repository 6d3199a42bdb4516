package io.shadowmq.extension;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * What HiveMQ starts and stops: the extension itself is {@link ShadowExtension}, which says which failures leave
 * ShadowMQ out of service (an unusable configuration: every CONNECT refused with 0x88) and which prevent its start.
 * <pre>{@code
 * // HiveMQ finds this class through META-INF/services/com.hivemq.extension.sdk.api.ExtensionMain
 * // and calls extensionStart(...) on one of its own threads while the broker starts.
 * }</pre>
 */
public final class ShadowExtensionMain implements ExtensionMain {

    private static final Logger log = LoggerFactory.getLogger(ShadowExtensionMain.class);

    private @Nullable ShadowExtension running;

    @Override
    public synchronized void extensionStart(@NotNull ExtensionStartInput input, @NotNull ExtensionStartOutput output) {
        ShadowExtension.Installation installation = new ShadowExtension.Installation(
                input.getExtensionInformation().getExtensionHomeFolder().toPath(),
                input.getServerInformation().getDataFolder().toPath(),
                input.getExtensionInformation().getVersion());
        try {
            running = ShadowExtension.start(installation, BrokerServices.ofHiveMq(), Clock.systemUTC());
        } catch (ShadowExtension.StartFailure failure) {
            output.preventExtensionStartup(failure.getMessage());
        }
    }

    @Override
    public synchronized void extensionStop(@NotNull ExtensionStopInput input, @NotNull ExtensionStopOutput output) {
        if (running != null) {
            running.close();
            running = null;
        }
        log.info("ShadowMQ extension stopped");
    }
}

package io.shadowmq.platform.up;

import org.jetbrains.annotations.NotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The platform's data dir: Redis's append-only file, the broker's working folders, and the two secrets a local
 * platform must keep across restarts — the pepper (changing it would invalidate every provisioned secret) and the
 * admin token (so {@code ./shadowmq things ...} can talk to a running platform). Both files are readable by the owner
 * only.
 */
public final class PlatformHome {

    private final Path root;

    public PlatformHome(@NotNull Path root) throws IOException {
        this.root = Files.createDirectories(root.toAbsolutePath().normalize());
    }

    public @NotNull Path root() {
        return root;
    }

    public @NotNull Path redisData() throws IOException {
        return Files.createDirectories(root.resolve("redis"));
    }

    public @NotNull Path brokerHome() throws IOException {
        return Files.createDirectories(root.resolve("hivemq"));
    }

    /** The pepper shared by broker and REST service: from the file, or a new random one written there. */
    public @NotNull String pepper() throws IOException {
        // A plain string (its UTF-8 bytes are the key): read the same way by the extension and the REST service.
        return secretFile("pepper", () -> random(32));
    }

    /** The admin token: {@code SHADOWMQ_ADMIN_TOKEN} if set, else the one kept in the data dir (made once). */
    public @NotNull String adminToken(String fromEnvironment) throws IOException {
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        return secretFile("admin-token", () -> "smq_admin_" + random(24));
    }

    /** The admin token of a platform that ran with this data dir, if any. */
    public static @NotNull java.util.Optional<String> existingAdminToken(@NotNull Path root) throws IOException {
        Path file = root.resolve("admin-token");
        return Files.isRegularFile(file)
                ? java.util.Optional.of(Files.readString(file).trim())
                : java.util.Optional.empty();
    }

    private String secretFile(String name, java.util.function.Supplier<String> create) throws IOException {
        Path file = root.resolve(name);
        if (Files.isRegularFile(file)) {
            return Files.readString(file).trim();
        }
        String value = create.get();
        Path temp = Files.createTempFile(root, name, ".tmp");
        try {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the folder's ACL is all there is.
        }
        Files.writeString(temp, value + "\n");
        Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return value;
    }

    private static String random(int bytes) {
        byte[] raw = new byte[bytes];
        new SecureRandom().nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}

package io.shadowmq.model.schema;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A thing model file that cannot be used. This is a configuration error found at start-up, so it is an exception
 * (the platform must not run with a model it misunderstands), and its message tells the operator exactly where to
 * look: the file, the path inside it and the reason.
 *
 * <pre>{@code
 * car.json: properties.cabin.heater.targetTemperature.minimum: must be a number
 * }</pre>
 */
public final class ModelLoadException extends RuntimeException {

    private final String file;
    private final String jsonPath;
    private final String reason;

    /**
     * @param file     the model's file name, e.g. {@code car.json} (or the directory, when the problem is the directory)
     * @param jsonPath where in the file, e.g. {@code properties.range.type}; empty for the file as a whole
     * @param reason   what is wrong
     */
    public ModelLoadException(@NotNull String file, @NotNull String jsonPath, @NotNull String reason) {
        this(file, jsonPath, reason, null);
    }

    public ModelLoadException(
            @NotNull String file, @NotNull String jsonPath, @NotNull String reason, @Nullable Throwable cause) {
        super(file + ": " + (jsonPath.isEmpty() ? "" : jsonPath + ": ") + reason, cause);
        this.file = file;
        this.jsonPath = jsonPath;
        this.reason = reason;
    }

    public @NotNull String file() {
        return file;
    }

    /** The dotted path inside the file; empty when the problem is the file as a whole. */
    public @NotNull String jsonPath() {
        return jsonPath;
    }

    public @NotNull String reason() {
        return reason;
    }
}

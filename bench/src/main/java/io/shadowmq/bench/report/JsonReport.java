package io.shadowmq.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import org.jetbrains.annotations.NotNull;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** Writes a {@link BenchReport} as indented JSON; durations as ISO-8601 ({@code PT10S}). */
public final class JsonReport {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new SimpleModule().addSerializer(Duration.class, ToStringSerializer.instance))
            .enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {}

    public static void write(@NotNull BenchReport report, @NotNull Path file) throws IOException {
        JSON.writeValue(file.toFile(), report);
    }
}

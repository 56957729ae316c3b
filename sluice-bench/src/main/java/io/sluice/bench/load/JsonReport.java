package io.sluice.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code --json FILE}: the whole {@link BenchResult} (setup, totals, latency and service-time percentiles in ms,
 * errors by kind, bytes, the per-second timeline and both percentile curves), snake_case keys.
 */
public final class JsonReport {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {}

    public static void write(BenchResult r, Path file) throws IOException {
        MAPPER.writeValue(file.toFile(), r);
    }

    public static String toJson(BenchResult r) throws IOException {
        return MAPPER.writeValueAsString(r);
    }
}

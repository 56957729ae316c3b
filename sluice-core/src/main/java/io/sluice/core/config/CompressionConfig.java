package io.sluice.core.config;

import java.util.List;

/**
 * Response compression ({@code compression:} at top level for the levels and defaults, and per route to override
 * {@code enabled}, {@code min_size} and {@code types}; seeds 000, 002, 004).
 *
 * @param enabled   compress this route's responses when the client accepts gzip or zstd (default false)
 * @param gzipLevel {@code fast} = 1, {@code balanced} = 6 (default), {@code maximum} = 9, or 1..9
 * @param zstdLevel zstd level, 1..22 (default 3)
 * @param minSize   responses with a known length below this go as they are (default 1 KiB)
 * @param types     compressible media types; {@code text/*} matches a whole type; +json/+xml always match
 */
public record CompressionConfig(boolean enabled, int gzipLevel, int zstdLevel, int minSize, List<String> types) {

    public static final List<String> DEFAULT_TYPES = List.of(
            "text/*", "application/json", "application/javascript", "application/xml", "application/x-ndjson",
            "application/wasm", "image/svg+xml", "application/msgpack");

    public static final CompressionConfig OFF = new CompressionConfig(false, 6, 3, 1024, DEFAULT_TYPES);

    public CompressionConfig {
        types = List.copyOf(types);
    }
}

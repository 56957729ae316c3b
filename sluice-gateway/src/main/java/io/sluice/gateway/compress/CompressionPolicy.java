package io.sluice.gateway.compress;

import java.util.List;
import java.util.Locale;

/**
 * What a route compresses. How hard is a {@link CompressionLevels}, set per listener.
 *
 * @param minSize    responses with a known length below this are sent as they are (bytes)
 * @param mimeTypes  compressible media types; an entry ending in {@code /*} matches a whole type, {@code +json}/{@code +xml} suffixes always match
 */
public record CompressionPolicy(int minSize, List<String> mimeTypes) {

    /** Text-like types worth compressing; already-compressed ones (images, video, archives) are absent on purpose. */
    public static final List<String> DEFAULT_TYPES = List.of(
            "text/*", "application/json", "application/javascript", "application/xml", "application/x-ndjson",
            "application/wasm", "image/svg+xml", "application/msgpack");

    public static CompressionPolicy defaults() {
        return new CompressionPolicy(1024, DEFAULT_TYPES);
    }

    public CompressionPolicy {
        mimeTypes = List.copyOf(mimeTypes);
    }

    /** Whether a response of this Content-Type is worth compressing (a missing type is not). */
    public boolean compressible(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon >= 0 ? contentType.substring(0, semicolon) : contentType).trim().toLowerCase(Locale.ROOT);
        if (type.endsWith("+json") || type.endsWith("+xml")) {
            return true;
        }
        for (String candidate : mimeTypes) {
            if (candidate.endsWith("/*") ? type.startsWith(candidate.substring(0, candidate.length() - 1))
                    : candidate.equals(type)) {
                return true;
            }
        }
        return false;
    }
}

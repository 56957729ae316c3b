package io.sluice.core.config;

import java.util.ArrayList;
import java.util.List;

/** Binds {@code compression:} at top level (levels and defaults) and per route (what to compress). */
final class CompressionBinder {

    static final List<String> TOP_KEYS = List.of("enabled", "level", "zstd_level", "min_size", "types");
    static final List<String> ROUTE_KEYS = List.of("enabled", "min_size", "types");
    private static final List<String> LEVEL_WORDS = List.of("fast", "balanced", "maximum");

    private CompressionBinder() {}

    /**
     * @param inherited what an absent key means
     * @param topLevel  whether levels may be set here (they are per listener, so only at top level)
     */
    static CompressionConfig bind(Node node, CompressionConfig inherited, boolean topLevel) {
        Node c = node.mapping(topLevel ? TOP_KEYS : ROUTE_KEYS);
        boolean enabled = c.get("enabled").bool(inherited.enabled());
        int gzip = topLevel ? level(c.get("level"), inherited.gzipLevel()) : inherited.gzipLevel();
        int zstd = topLevel ? c.get("zstd_level").integer(inherited.zstdLevel(), 1, 22) : inherited.zstdLevel();
        int minSize = c.get("min_size").size(inherited.minSize(), "0B", "1GiB");
        List<String> types = types(c.get("types"), inherited.types());
        return new CompressionConfig(enabled, gzip, zstd, minSize, types);
    }

    /** Seed 000's names (fast 1, balanced 6, maximum 9) or a gzip level 1..9. */
    private static int level(Node n, int fallback) {
        if (!n.present()) {
            return fallback;
        }
        String written = n.raw();
        return switch (written) {
            case "fast" -> 1;
            case "balanced" -> 6;
            case "maximum" -> 9;
            default -> {
                if (written.matches("[0-9]+")) {
                    yield n.integer(fallback, 1, 9);
                }
                n.error("must be one of " + String.join(", ", LEVEL_WORDS) + " or 1..9, got " + Node.quote(written));
                yield fallback;
            }
        };
    }

    private static List<String> types(Node n, List<String> fallback) {
        if (!n.present()) {
            return fallback;
        }
        List<String> out = new ArrayList<>();
        for (Node element : n.elements()) {
            String type = element.string("");
            if (!type.matches("[a-z0-9!#$&^_.+-]+/([a-z0-9!#$&^_.+-]+|\\*)")) {
                element.error("must be a media type such as \"text/html\" or \"text/*\", got " + Node.quote(type));
            } else {
                out.add(type);
            }
        }
        return out;
    }
}

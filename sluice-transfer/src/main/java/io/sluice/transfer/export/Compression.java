package io.sluice.transfer.export;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * {@code --compress}: {@code none}, {@code gzip:1..9} (seed 000's fast 1, balanced 6, maximum 9) or
 * {@code zstd:1..19}, applied on the fly to an export stream.
 */
public record Compression(String algorithm, int level) {

    public static final Compression NONE = new Compression("none", 0);

    public static Compression parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("none")) {
            return NONE;
        }
        int colon = t.indexOf(':');
        String algorithm = colon < 0 ? t : t.substring(0, colon);
        String level = colon < 0 ? null : t.substring(colon + 1);
        try {
            return switch (algorithm) {
                case "gzip" -> new Compression("gzip", level(level, 6, 1, 9, text));
                case "zstd" -> new Compression("zstd", level(level, 3, 1, 19, text));
                default -> throw bad(text);
            };
        } catch (NumberFormatException e) {
            throw bad(text);
        }
    }

    private static int level(String level, int dflt, int min, int max, String text) {
        int n = level == null ? dflt : Integer.parseInt(level);
        if (n < min || n > max) {
            throw bad(text);
        }
        return n;
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("--compress: " + text + " (expected: none, gzip:1..9 or zstd:1..19)");
    }

    /** Wraps {@code out}; closing the result finishes the compressed stream and closes {@code out}. */
    public OutputStream wrap(OutputStream out) throws IOException {
        return switch (algorithm) {
            case "gzip" -> new GZIPOutputStream(out, 64 * 1024) {
                {
                    def.setLevel(level);
                }
            };
            case "zstd" -> new ZstdOutputStream(out, level);
            default -> out;
        };
    }

    /** The file name suffix of this format ({@code .gz}, {@code .zst}, or empty). */
    public String suffix() {
        return switch (algorithm) {
            case "gzip" -> ".gz";
            case "zstd" -> ".zst";
            default -> "";
        };
    }

    @Override
    public String toString() {
        return algorithm.equals("none") ? "none" : algorithm + ":" + level;
    }
}

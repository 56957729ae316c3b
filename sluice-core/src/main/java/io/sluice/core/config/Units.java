package io.sluice.core.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations ({@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}, bare seconds), sizes
 * ({@code 512}, {@code 8KiB}, {@code 1MB}, ...) and bandwidths ({@code 100Mbps}, {@code 10MB/s}) as written in
 * configuration files.
 *
 * <p>Parsing accepts a sign and saturates on overflow rather than failing, so that {@code -5s} or an absurdly
 * large number is reported as out of range, which is the real problem, instead of as unreadable.
 */
final class Units {

    /** Listed in the error for a value that is not a duration. */
    static final String DURATION_FORMS = "250ms, 30s, 5m, 1h, 1d or a whole number of seconds";

    /** Listed in the error for a value that is not a size. */
    static final String SIZE_FORMS = "512, 512B, 8KiB, 1MiB, 1GiB (1024-based) or 8KB, 1MB, 1GB (1000-based)";

    /** Listed in the error for a value that is not a bandwidth. */
    static final String BANDWIDTH_FORMS =
            "0, 500kbps, 100Mbps, 1Gbps (bits, 1000-based) or 10MB/s, 512KiB/s (bytes per second)";

    private static final Pattern BITS_PER_SECOND =
            Pattern.compile("\\s*([+-]?\\d+)\\s*([kmgt])?bps\\s*", Pattern.CASE_INSENSITIVE);

    private static final Pattern BYTES_PER_SECOND = Pattern.compile("\\s*(.+?)\\s*/\\s*s\\s*");

    private static final Pattern DURATION =
            Pattern.compile("\\s*([+-]?\\d+)\\s*(ms|s|m|h|d)?\\s*", Pattern.CASE_INSENSITIVE);

    private static final Pattern SIZE =
            Pattern.compile("\\s*([+-]?\\d+)\\s*(?:([kmg])(i)?)?(b)?\\s*", Pattern.CASE_INSENSITIVE);

    private static final long KIB = 1024;
    private static final long MIB = KIB * 1024;
    private static final long GIB = MIB * 1024;

    private Units() {}

    /** A duration; a number without a unit is seconds, as seed 001 wrote {@code timeout: 30}. */
    static Optional<Duration> parseDuration(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = saturatingParse(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        try {
            return Optional.of(switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> throw new IllegalStateException(unit);
            });
        } catch (ArithmeticException overflow) {
            return Optional.of(n < 0 ? Duration.ofSeconds(Long.MIN_VALUE) : Duration.ofSeconds(Long.MAX_VALUE));
        }
    }

    /** A byte count; {@code Ki}/{@code Mi}/{@code Gi} are powers of 1024, {@code K}/{@code M}/{@code G} of 1000. */
    static OptionalLong parseSize(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        long n = saturatingParse(m.group(1));
        boolean binary = m.group(3) != null;
        long unit = m.group(2) == null
                ? 1
                : switch (m.group(2).toLowerCase(Locale.ROOT)) {
                    case "k" -> binary ? KIB : 1_000L;
                    case "m" -> binary ? MIB : 1_000_000L;
                    case "g" -> binary ? GIB : 1_000_000_000L;
                    default -> throw new IllegalStateException(m.group(2));
                };
        try {
            return OptionalLong.of(Math.multiplyExact(n, unit));
        } catch (ArithmeticException overflow) {
            return OptionalLong.of(n < 0 ? Long.MIN_VALUE : Long.MAX_VALUE);
        }
    }

    /**
     * A bandwidth in bits per second. {@code bps} forms count bits with 1000-based prefixes, as link speeds
     * are quoted ({@code 100Mbps} = 100,000,000); a size followed by {@code /s} counts bytes, with the size
     * rules above ({@code 10MB/s} = 80,000,000, {@code 1MiB/s} = 8,388,608) but a capital {@code B}, since
     * {@code 10Mb/s} reads as megabits and is refused rather than guessed. A bare {@code 0} means
     * unlimited; any other bare number is refused, because whether it meant bits or bytes is a guess.
     */
    static OptionalLong parseBitsPerSecond(String text) {
        if (text.strip().equals("0")) {
            return OptionalLong.of(0);
        }
        Matcher bits = BITS_PER_SECOND.matcher(text);
        if (bits.matches()) {
            long n = saturatingParse(bits.group(1));
            long unit = bits.group(2) == null
                    ? 1
                    : switch (bits.group(2).toLowerCase(Locale.ROOT)) {
                        case "k" -> 1_000L;
                        case "m" -> 1_000_000L;
                        case "g" -> 1_000_000_000L;
                        case "t" -> 1_000_000_000_000L;
                        default -> throw new IllegalStateException(bits.group(2));
                    };
            return OptionalLong.of(saturatingMultiply(n, unit));
        }
        Matcher bytes = BYTES_PER_SECOND.matcher(text);
        // "10Mb/s" is megabits to most readers, so only an upper-case B may mean bytes here.
        if (bytes.matches() && !bytes.group(1).endsWith("b")) {
            OptionalLong size = parseSize(bytes.group(1));
            return size.isPresent() ? OptionalLong.of(saturatingMultiply(size.getAsLong(), 8)) : size;
        }
        return OptionalLong.empty();
    }

    /** The largest exact decimal unit: {@code 200Mbps}, {@code 1500kbps}, {@code 0} for unlimited. */
    static String formatBitsPerSecond(long bps) {
        if (bps == 0) {
            return "0";
        }
        String[] units = {"Tbps", "Gbps", "Mbps", "kbps"};
        long[] factors = {1_000_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
        for (int i = 0; i < units.length; i++) {
            if (bps % factors[i] == 0) {
                return bps / factors[i] + units[i];
            }
        }
        return bps + "bps";
    }

    /** The shortest exact spelling in the largest unit, as a person would write it: {@code 64KiB}, {@code 300B}. */
    static String formatSize(long bytes) {
        if (bytes != 0 && bytes % GIB == 0) {
            return bytes / GIB + "GiB";
        }
        if (bytes != 0 && bytes % MIB == 0) {
            return bytes / MIB + "MiB";
        }
        if (bytes != 0 && bytes % KIB == 0) {
            return bytes / KIB + "KiB";
        }
        return bytes + "B";
    }

    /** The largest unit that is exact, stopping at hours because {@code 24h} reads better than {@code 1d}. */
    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1_000 == 0) {
            return ms / 1_000 + "s";
        }
        return ms + "ms";
    }

    private static long saturatingMultiply(long n, long unit) {
        try {
            return Math.multiplyExact(n, unit);
        } catch (ArithmeticException overflow) {
            return n < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static long saturatingParse(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException tooLong) {
            return digits.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}

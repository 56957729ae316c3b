package io.sluice.transfer.limit;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses {@code --limit}: bits per second ({@code 100Mbps}, {@code 1Gbps}, decimal) or bytes per second ({@code 10MB/s}, {@code 5MiB/s}). */
public final class Rates {

    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?)(bps|b/s)", Pattern.CASE_INSENSITIVE);

    private Rates() {}

    /** Bytes per second; throws {@link IllegalArgumentException} naming the option, value and expected form. */
    public static long bytesPerSecond(String text) {
        Matcher m = RATE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("--limit: " + text + " (expected: a rate such as 100Mbps, 1Gbps, 10MB/s or 5MiB/s)");
        }
        double value = Double.parseDouble(m.group(1));
        boolean binary = !m.group(3).isEmpty();
        int power = "kmgt".indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
        double scale = Math.pow(binary ? 1024 : 1000, power);
        boolean bits = m.group(4).equalsIgnoreCase("bps"); // "bps" counts bits, "B/s" bytes
        double bytes = value * scale / (bits ? 8 : 1);
        if (bytes < 1) {
            throw new IllegalArgumentException("--limit: " + text + " (expected: at least 1 byte per second)");
        }
        return (long) bytes;
    }
}

package io.sluice.core.config;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bandwidth settings written on a command line rather than in YAML ({@code sluice fetch --limit 100Mbps}), with the
 * configuration file's exact rules, so {@code --limit} and {@code bandwidth.global} accept the same spellings. Every
 * error names the option, the value and what is allowed.
 */
public final class Bandwidths {

    /** Listed in the error for a value that is not a profile. */
    public static final String PROFILE_FORMS = "[DAYS ]HH:MM-HH:MM=RATE, e.g. 'mon-fri 09:00-18:00=200Mbps' or "
            + "'22:00-06:00=0'";

    private static final Pattern PROFILE = Pattern.compile("\\s*(?:(\\S+)\\s+)?(\\S+?)-(\\S+?)\\s*=\\s*(.+)");

    private Bandwidths() {}

    /** {@code 100Mbps}, {@code 10MB/s}, ... in bits per second, 1kbps..1Tbps, or 0 for unlimited. */
    public static long parseBitsPerSecond(String option, String text) {
        OptionalLong bps = Units.parseBitsPerSecond(text);
        if (bps.isEmpty()) {
            throw new IllegalArgumentException(option + ": " + text + " (expected: a bandwidth such as "
                    + Units.BANDWIDTH_FORMS + ")");
        }
        long value = bps.getAsLong();
        long min = Units.parseBitsPerSecond(BandwidthBinder.MIN_BANDWIDTH).orElseThrow();
        long max = Units.parseBitsPerSecond(BandwidthBinder.MAX_BANDWIDTH).orElseThrow();
        if (value != 0 && (value < min || value > max)) {
            throw new IllegalArgumentException(option + ": " + text + " (expected: 0 for unlimited or "
                    + BandwidthBinder.MIN_BANDWIDTH + ".." + BandwidthBinder.MAX_BANDWIDTH + ")");
        }
        return value;
    }

    /** A burst size: {@code 1MB}, {@code 256KiB}, 1KiB..1GiB. */
    public static long parseBurst(String option, String text) {
        OptionalLong size = Units.parseSize(text);
        if (size.isEmpty()) {
            throw new IllegalArgumentException(option + ": " + text + " (expected: a size such as "
                    + Units.SIZE_FORMS + ")");
        }
        long bytes = size.getAsLong();
        long min = Units.parseSize(BandwidthBinder.MIN_BURST).orElseThrow();
        long max = Units.parseSize(BandwidthBinder.MAX_BURST).orElseThrow();
        if (bytes < min || bytes > max) {
            throw new IllegalArgumentException(option + ": " + text + " (expected: " + BandwidthBinder.MIN_BURST + ".."
                    + BandwidthBinder.MAX_BURST + ")");
        }
        return bytes;
    }

    /** Where profile times are read: {@code UTC}, {@code +01:00}, {@code Europe/Berlin}. */
    public static ZoneId parseTimeZone(String option, String text) {
        return BandwidthBinder.parseTimeZone(text).orElseThrow(() -> new IllegalArgumentException(option + ": " + text
                + " (expected: a time zone such as " + BandwidthBinder.ZONE_FORMS + ")"));
    }

    /**
     * A time window with its own rate: {@code mon-fri 09:00-18:00=200Mbps}; without days it is every day, and a
     * window whose end is before its start runs past midnight, as in {@code bandwidth.profiles}.
     */
    public static BandwidthProfile parseProfile(String option, String text) {
        Matcher m = PROFILE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(option + ": " + text + " (expected: " + PROFILE_FORMS + ")");
        }
        Set<DayOfWeek> days = m.group(1) == null
                ? EnumSet.allOf(DayOfWeek.class)
                : BandwidthBinder.parseDays(m.group(1)).orElseThrow(() -> new IllegalArgumentException(option + ": "
                        + text + " (expected: days such as " + BandwidthBinder.DAY_FORMS + ", got " + m.group(1) + ")"));
        LocalTime from = time(option, text, m.group(2));
        LocalTime to = time(option, text, m.group(3));
        if (from.equals(to)) {
            throw new IllegalArgumentException(option + ": " + text + " (expected: a window whose end differs from "
                    + "its start)");
        }
        return new BandwidthProfile(days, from, to, parseBitsPerSecond(option, m.group(4).strip()));
    }

    private static LocalTime time(String option, String text, String time) {
        return BandwidthBinder.parseTimeOfDay(time).orElseThrow(() -> new IllegalArgumentException(option + ": "
                + text + " (expected: times of day as HH:MM, got " + time + ")"));
    }
}

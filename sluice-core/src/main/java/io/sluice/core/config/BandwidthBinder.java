package io.sluice.core.config;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Binds {@code bandwidth:}, top-level (the process-wide rate and every route's defaults) or per route. Every
 * absent key takes its value from {@code inherited}: {@link BandwidthConfig#UNLIMITED} for the top level, the
 * top-level block for a route.
 */
final class BandwidthBinder {

    static final List<String> TOP_KEYS =
            List.of("per_connection", "per_route", "global", "burst", "profiles", "time_zone");
    /** A route cannot set the process-wide rate. */
    static final List<String> ROUTE_KEYS = List.of("per_connection", "per_route", "burst", "profiles", "time_zone");
    static final List<String> JOB_KEYS = List.of("global", "burst", "profiles", "time_zone");
    static final List<String> PROFILE_KEYS = List.of("days", "from", "to", "rate");

    static final String MIN_BANDWIDTH = "1kbps";
    static final String MAX_BANDWIDTH = "1Tbps";
    static final String MIN_BURST = "1KiB";
    static final String MAX_BURST = "1GiB";
    static final String ZONE_FORMS = "UTC, +01:00 or Europe/Berlin";
    private static final DateTimeFormatter TIME_OF_DAY = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    static final String DAY_FORMS = "mon-fri, sat,sun or mon,wed-fri";
    private static final List<String> DAY_NAMES = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    private BandwidthBinder() {}

    static BandwidthConfig bind(Node node, BandwidthConfig d, boolean topLevel) {
        Node b = node.mapping(topLevel ? TOP_KEYS : ROUTE_KEYS);
        Node profiles = b.get("profiles");
        return new BandwidthConfig(
                b.get("per_connection").bitsPerSecond(d.perConnection(), MIN_BANDWIDTH, MAX_BANDWIDTH),
                b.get("per_route").bitsPerSecond(d.perRoute(), MIN_BANDWIDTH, MAX_BANDWIDTH),
                topLevel ? b.get("global").bitsPerSecond(d.global(), MIN_BANDWIDTH, MAX_BANDWIDTH) : d.global(),
                b.get("burst").size(Math.toIntExact(d.burstBytes()), MIN_BURST, MAX_BURST),
                profiles.present() ? profiles(profiles) : d.profiles(),
                timeZone(b.get("time_zone"), d.timeZone()));
    }

    /** {@code admin.job_bandwidth}: one rate shared by all of a daemon's transfer jobs. */
    static JobBandwidthConfig bindJobs(Node node) {
        JobBandwidthConfig d = JobBandwidthConfig.UNLIMITED;
        Node b = node.mapping(JOB_KEYS);
        Node profiles = b.get("profiles");
        return new JobBandwidthConfig(
                b.get("global").bitsPerSecond(d.global(), MIN_BANDWIDTH, MAX_BANDWIDTH),
                b.get("burst").size(Math.toIntExact(d.burstBytes()), MIN_BURST, MAX_BURST),
                profiles.present() ? profiles(profiles) : d.profiles(),
                timeZone(b.get("time_zone"), d.timeZone()));
    }

    private static List<BandwidthProfile> profiles(Node node) {
        List<BandwidthProfile> out = new ArrayList<>();
        for (Node element : node.elements()) {
            Node p = element.mapping(PROFILE_KEYS);
            if (p.failed()) {
                continue;
            }
            Set<DayOfWeek> days = days(p.get("days"));
            Node fromNode = p.get("from");
            Node toNode = p.get("to");
            LocalTime from = fromNode.required() ? timeOfDay(fromNode) : LocalTime.MIDNIGHT;
            LocalTime to = toNode.required() ? timeOfDay(toNode) : LocalTime.MIDNIGHT;
            if (from.equals(to) && !fromNode.failed() && !toNode.failed() && fromNode.present()) {
                toNode.error("must differ from " + fromNode.path() + " (" + fromNode.raw() + "), got " + toNode.raw());
            }
            Node rateNode = p.get("rate");
            long rate = rateNode.required() ? rateNode.bitsPerSecond(0, MIN_BANDWIDTH, MAX_BANDWIDTH) : 0;
            out.add(new BandwidthProfile(days, from, to, rate));
        }
        return out;
    }

    /** {@code mon-fri}, {@code sat,sun}, {@code mon,wed-fri}; absent is every day. */
    private static Set<DayOfWeek> days(Node node) {
        if (!node.present()) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        String text = node.string("");
        if (node.failed()) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        Optional<Set<DayOfWeek>> days = parseDays(text);
        if (days.isEmpty()) {
            node.error("must be days such as " + DAY_FORMS + ", got " + Node.quote(text));
            return EnumSet.allOf(DayOfWeek.class);
        }
        return days.get();
    }

    /** {@code mon-fri}, {@code sat,sun}, {@code mon,wed-fri}; empty when it is none of those. */
    static Optional<Set<DayOfWeek>> parseDays(String text) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String part : text.toLowerCase(Locale.ROOT).split(",")) {
            String[] range = part.strip().split("-", -1);
            int first = range.length <= 2 ? DAY_NAMES.indexOf(range[0].strip()) : -1;
            int last = range.length == 2 ? DAY_NAMES.indexOf(range[1].strip()) : first;
            if (first < 0 || last < 0) {
                return Optional.empty();
            }
            // A range may wrap past Sunday: fri-mon is Friday to Monday.
            for (int i = first; ; i = (i + 1) % 7) {
                days.add(DayOfWeek.of(i + 1));
                if (i == last) {
                    break;
                }
            }
        }
        return Optional.of(days);
    }

    /** {@code 09:00}; empty when it is not a time of day. */
    static Optional<LocalTime> parseTimeOfDay(String text) {
        try {
            return Optional.of(LocalTime.parse(text.strip(), TIME_OF_DAY));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static LocalTime timeOfDay(Node node) {
        String text = node.string("00:00");
        if (node.failed()) {
            return LocalTime.MIDNIGHT;
        }
        Optional<LocalTime> time = parseTimeOfDay(text);
        if (time.isEmpty()) {
            node.error("must be a time of day such as \"09:00\" or \"18:30\" (HH:MM, quoted), got "
                    + Node.quote(text));
            return LocalTime.MIDNIGHT;
        }
        return time.get();
    }

    private static ZoneId timeZone(Node node, ZoneId fallback) {
        String text = node.string(null);
        if (text == null) {
            return fallback;
        }
        Optional<ZoneId> zone = parseTimeZone(text);
        if (zone.isEmpty()) {
            node.error("must be a time zone such as " + ZONE_FORMS + ", got " + Node.quote(text));
            return fallback;
        }
        return zone.get();
    }

    /** A zone ID or offset ({@code UTC}, {@code +01:00}, {@code Europe/Berlin}); empty when it is none. */
    static Optional<ZoneId> parseTimeZone(String text) {
        try {
            return Optional.of(ZoneId.of(text));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}

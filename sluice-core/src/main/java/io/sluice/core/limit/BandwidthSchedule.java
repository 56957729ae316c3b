package io.sluice.core.limit;

import io.sluice.core.config.BandwidthProfile;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;

/**
 * A bandwidth that depends on the time of day: a base rate, and windows with their own rate
 * (e.g. 200 Mbps 09:00–18:00 Monday to Friday, otherwise unlimited), read in one time zone.
 * The first open window wins; 0 means unlimited, both as base and as a window's rate.
 */
public final class BandwidthSchedule {

    private final long baseBitsPerSecond;
    private final List<BandwidthProfile> profiles;
    private final ZoneId zone;

    private BandwidthSchedule(long baseBitsPerSecond, List<BandwidthProfile> profiles, ZoneId zone) {
        if (baseBitsPerSecond < 0) {
            throw new IllegalArgumentException(baseBitsPerSecond + " (expected: >= 0)");
        }
        this.baseBitsPerSecond = baseBitsPerSecond;
        this.profiles = List.copyOf(profiles);
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    public static BandwidthSchedule of(long baseBitsPerSecond, List<BandwidthProfile> profiles, ZoneId zone) {
        return new BandwidthSchedule(baseBitsPerSecond, profiles, zone);
    }

    /** The same rate at every hour. */
    public static BandwidthSchedule constant(long bitsPerSecond) {
        return new BandwidthSchedule(bitsPerSecond, List.of(), ZoneId.of("UTC"));
    }

    /** True when there are no windows, so the rate never needs re-reading. */
    public boolean isConstant() {
        return profiles.isEmpty();
    }

    /** The rate in force at {@code instant}, in bits per second; 0 is unlimited. */
    public long bitsPerSecondAt(Instant instant) {
        if (profiles.isEmpty()) {
            return baseBitsPerSecond;
        }
        ZonedDateTime local = instant.atZone(zone);
        DayOfWeek day = local.getDayOfWeek();
        LocalTime time = local.toLocalTime();
        for (BandwidthProfile p : profiles) {
            if (isOpen(p, day, time)) {
                return p.bitsPerSecond();
            }
        }
        return baseBitsPerSecond;
    }

    private static boolean isOpen(BandwidthProfile p, DayOfWeek day, LocalTime time) {
        if (p.from().isBefore(p.to())) {
            return p.days().contains(day) && !time.isBefore(p.from()) && time.isBefore(p.to());
        }
        // Past midnight: the evening part on a listed day, the morning part on the day after one.
        return (p.days().contains(day) && !time.isBefore(p.from()))
                || (p.days().contains(day.minus(1)) && time.isBefore(p.to()));
    }
}

package io.sluice.core.config;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Objects;
import java.util.Set;

/**
 * A time window with its own bandwidth ({@code limits.bandwidth.profiles[i]}), e.g. 200 Mbps from 09:00 to
 * 18:00 Monday to Friday. {@code from} is inclusive and {@code to} exclusive; when {@code to} is earlier than
 * {@code from} the window runs past midnight and belongs to the day it starts on.
 *
 * @param days          the days the window starts on (default every day)
 * @param from          start, local time in {@code bandwidth.time_zone}
 * @param to            end, local time
 * @param bitsPerSecond the rate while the window is open; 0 is unlimited
 */
public record BandwidthProfile(Set<DayOfWeek> days, LocalTime from, LocalTime to, long bitsPerSecond) {

    public BandwidthProfile {
        days = Set.copyOf(days);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }
}

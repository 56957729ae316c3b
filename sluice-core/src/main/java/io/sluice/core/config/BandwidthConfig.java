package io.sluice.core.config;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * Bandwidth throttling ({@code bandwidth:} at top level, and per route), in bits per second; 0 is unlimited.
 * Each direction (client to backend, backend to client) is held to the rate on its own. The scopes compose: a
 * byte counts against its client connection, its route and the whole process, and the slowest of the three sets
 * the pace.
 *
 * @param perConnection each client connection's rate (an HTTP/2 connection's streams together)
 * @param perRoute      the rate of all of a route's traffic together; an open profile replaces it
 * @param global        the rate of the whole process; read from the top-level block only
 * @param burstBytes    bytes that may pass at once after a quiet spell, per throttle (default 1 MB)
 * @param profiles      time windows with their own {@code perRoute} rate; the first open one wins
 * @param timeZone      where the profiles' times are read (default UTC)
 */
public record BandwidthConfig(
        long perConnection, long perRoute, long global, long burstBytes, List<BandwidthProfile> profiles,
        ZoneId timeZone) {

    /** Nothing throttled: the default. */
    public static final BandwidthConfig UNLIMITED =
            new BandwidthConfig(0, 0, 0, 1_000_000, List.of(), ZoneOffset.UTC);

    public BandwidthConfig {
        profiles = List.copyOf(profiles);
        Objects.requireNonNull(timeZone, "timeZone");
    }

    /** Whether a route with these settings throttles anything itself (the global rate aside). */
    public boolean limitsRoute() {
        return perConnection > 0 || perRoute > 0 || !profiles.isEmpty();
    }
}

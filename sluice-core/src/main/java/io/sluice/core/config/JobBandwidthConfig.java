package io.sluice.core.config;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * The bandwidth all transfer jobs of one daemon share ({@code admin.job_bandwidth}), in bits per second; a job's
 * own {@code limit} applies under it, so the slower of the two sets a job's pace. Read at start.
 *
 * @param global     the rate of all jobs together; 0 is unlimited
 * @param burstBytes bytes that may pass at once after a quiet spell (default 1 MB)
 * @param profiles   time windows with their own rate in place of {@code global}; the first open one wins
 * @param timeZone   where the profiles' times are read (default UTC)
 */
public record JobBandwidthConfig(long global, long burstBytes, List<BandwidthProfile> profiles, ZoneId timeZone) {

    /** Nothing throttled: the default. */
    public static final JobBandwidthConfig UNLIMITED = new JobBandwidthConfig(0, 1_000_000, List.of(), ZoneOffset.UTC);

    public JobBandwidthConfig {
        profiles = List.copyOf(profiles);
        Objects.requireNonNull(timeZone, "timeZone");
    }

    /** Whether any limit applies at some time of day. */
    public boolean limits() {
        return global > 0 || profiles.stream().anyMatch(p -> p.bitsPerSecond() > 0);
    }
}

package io.sluice.core.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sluice.core.config.BandwidthProfile;
import java.time.DayOfWeek;
import java.time.Duration;
import java.util.EnumSet;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BandwidthThrottleTest {

    private static final int CHUNK = 16 * 1024;
    private static final long TEN_SECONDS = Duration.ofSeconds(10).toNanos();

    @ParameterizedTest(name = "{0} bit/s, burst {1} B")
    @CsvSource({"1000000, 16384", "8000000, 65536", "100000000, 1000000", "1000000000, 1000000",
        "200000000, 1000000", "3000000, 16384"})
    void averagesTheConfiguredRateWithinFivePercentOverTenVirtualSeconds(long bitsPerSecond, long burst) {
        BandwidthThrottle throttle = BandwidthThrottle.of(bitsPerSecond, burst);

        double achieved = sendAsFastAsAllowed(throttle, 0, TEN_SECONDS);

        assertThat(achieved).isCloseTo(bitsPerSecond, within(bitsPerSecond * 0.05));
    }

    @Test
    void letsTheBurstThroughAtOnceThenPaces() {
        BandwidthThrottle throttle = BandwidthThrottle.of(8_000_000, 1_000_000); // 1 MB/s

        assertThat(throttle.reserve(1_000_000, 0)).isZero();
        assertThat(throttle.reserve(1_000, 0)).isEqualTo(Duration.ofMillis(1).toNanos());
    }

    @Test
    void unlimitedNeverWaits() {
        BandwidthThrottle throttle = BandwidthThrottle.of(0, 1024);

        for (int i = 0; i < 1000; i++) {
            assertThat(throttle.reserve(CHUNK, 0)).isZero();
        }
    }

    @Test
    void aChildIsHeldToTheSlowerOfItselfAndItsParent() {
        BandwidthThrottle global = BandwidthThrottle.of(10_000_000, 16_384);
        BandwidthThrottle fastConnection = global.child(100_000_000, 16_384);
        BandwidthThrottle slowConnection = global.child(1_000_000, 16_384);

        assertThat(sendAsFastAsAllowed(fastConnection, 0, TEN_SECONDS))
                .isCloseTo(10_000_000, within(500_000.0));
        // The global bucket is now in use by the first connection's history only; the slow one is its own limit.
        assertThat(sendAsFastAsAllowed(slowConnection, TEN_SECONDS, TEN_SECONDS))
                .isCloseTo(1_000_000, within(50_000.0));
    }

    @Test
    void connectionsSharingAParentTogetherStayWithinIt() {
        BandwidthThrottle global = BandwidthThrottle.of(20_000_000, 65_536);
        BandwidthThrottle a = global.child(0, 65_536);
        BandwidthThrottle b = global.child(0, 65_536);
        long sent = 0;
        long nextA = 0;
        long nextB = 0;
        while (Math.min(nextA, nextB) < TEN_SECONDS) {
            if (nextA <= nextB) {
                nextA += a.reserve(CHUNK, nextA);
            } else {
                nextB += b.reserve(CHUNK, nextB);
            }
            sent += CHUNK;
        }
        double bitsPerSecond = sent * 8.0 / (Math.min(nextA, nextB) / 1e9);

        assertThat(bitsPerSecond).isCloseTo(20_000_000, within(1_000_000.0));
    }

    @Test
    void followsTheOfficeHoursProfileAndIsUnlimitedOutsideIt() {
        // Monday 2025-01-06, 08:59:50 UTC: ten seconds before the 200 Mbps window opens.
        FakeTime time = new FakeTime(Instant.parse("2025-01-06T08:59:50Z"));
        BandwidthSchedule schedule = BandwidthSchedule.of(0, List.of(new BandwidthProfile(
                EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(9, 0), LocalTime.of(18, 0),
                200_000_000)), ZoneId.of("UTC"));
        BandwidthThrottle throttle = BandwidthThrottle.of(schedule, time, 1_000_000);

        assertThat(throttle.reserve(100_000_000, time.nanos())).as("before 09:00: unlimited").isZero();
        time.advance(Duration.ofSeconds(10));

        double achieved = sendAsFastAsAllowed(throttle, time.nanos(), TEN_SECONDS);
        assertThat(throttle.bitsPerSecond()).isEqualTo(200_000_000);
        assertThat(achieved).isCloseTo(200_000_000, within(10_000_000.0));
    }

    @Test
    void profilesSwitchByDayAndTimeInTheConfiguredZone() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        BandwidthSchedule schedule = BandwidthSchedule.of(1_000_000, List.of(
                new BandwidthProfile(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(9, 0),
                        LocalTime.of(18, 0), 200_000_000),
                new BandwidthProfile(EnumSet.of(DayOfWeek.FRIDAY), LocalTime.of(22, 0), LocalTime.of(6, 0), 0)),
                berlin);

        // 2025-01-06 is a Monday; Berlin is UTC+1 in January.
        assertThat(schedule.bitsPerSecondAt(Instant.parse("2025-01-06T07:59:59Z"))).isEqualTo(1_000_000);
        assertThat(schedule.bitsPerSecondAt(Instant.parse("2025-01-06T08:00:00Z"))).isEqualTo(200_000_000);
        assertThat(schedule.bitsPerSecondAt(Instant.parse("2025-01-06T16:59:59Z"))).isEqualTo(200_000_000);
        assertThat(schedule.bitsPerSecondAt(Instant.parse("2025-01-06T17:00:00Z"))).isEqualTo(1_000_000);
        assertThat(schedule.bitsPerSecondAt(Instant.parse("2025-01-11T09:00:00Z"))).as("Saturday").isEqualTo(1_000_000);
        // The Friday-night window runs into Saturday morning.
        assertThat(schedule.bitsPerSecondAt(Instant.parse("2025-01-10T21:30:00Z"))).isZero();
        assertThat(schedule.bitsPerSecondAt(Instant.parse("2025-01-11T04:59:00Z"))).isZero();
        assertThat(schedule.bitsPerSecondAt(Instant.parse("2025-01-11T05:00:00Z"))).isEqualTo(1_000_000);
    }

    /**
     * Sends {@link #CHUNK}-byte chunks from {@code start}, each as soon as the throttle allows, for
     * {@code span} virtual nanoseconds, and returns the achieved bits per second.
     */
    private static double sendAsFastAsAllowed(BandwidthThrottle throttle, long start, long span) {
        long now = start;
        long sent = 0;
        while (now - start < span) {
            now += throttle.reserve(CHUNK, now);
            sent += CHUNK;
        }
        return sent * 8.0 / ((now - start) / 1e9);
    }
}

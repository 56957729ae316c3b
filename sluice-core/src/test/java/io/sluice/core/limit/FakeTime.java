package io.sluice.core.limit;

import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Virtual time for the limiters: a monotonic nanosecond counter and a wall clock that move together. */
public final class FakeTime extends Clock implements TimeMeter {

    private final Instant epoch;
    private long nanos;

    public FakeTime(Instant start) {
        this.epoch = start;
    }

    public FakeTime() {
        this(Instant.parse("2025-01-06T00:00:00Z")); // a Monday
    }

    public synchronized void advance(Duration d) {
        nanos += d.toNanos();
    }

    public synchronized void advanceNanos(long n) {
        nanos += n;
    }

    public synchronized long nanos() {
        return nanos;
    }

    @Override
    public long currentTimeNanos() {
        return nanos();
    }

    @Override
    public boolean isWallClockBased() {
        return false;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
        return epoch.plusNanos(nanos());
    }
}

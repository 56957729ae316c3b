package io.sluice.core.limit;

import io.sluice.core.config.BandwidthConfig;
import java.time.Clock;
import java.util.Objects;

/**
 * A token bucket over bytes, for bandwidth: bits per second with a burst allowance, independent of HTTP so
 * the transfer engine can use it as well as the gateway.
 *
 * <p>{@link #reserve(int, long)} is the whole API: the caller reports bytes it is about to pass (or has just
 * read) and gets back how long to hold off before the next ones, 0 meaning go on. It never refuses and never
 * blocks: the bytes are always debited, so the bucket may go into debt, and the wait is exactly the time the
 * refill needs to pay that debt. A caller that always honours the wait therefore averages the configured rate
 * precisely, whatever its chunk size, plus at most one burst ({@code BandwidthThrottleTest} checks ±5 % over
 * ten virtual seconds). Refill is continuous (the same "greedy" refill as Bucket4j), computed from the
 * caller's {@code nowNanos}, so tests drive it with virtual time.
 *
 * <p>A throttle may have a parent: reserving on a child reserves on the parent too and the longer wait wins,
 * so a per-connection throttle under a per-route one under a global one enforces all three. A throttle's rate
 * may follow a {@link BandwidthSchedule}, re-read at most once per second of {@code nowNanos} from the
 * injected {@link Clock}.
 *
 * <p>Why not Netty's {@code GlobalTrafficShapingHandler}: it measures in fixed check intervals (1 s by
 * default) and corrects afterwards, so its rate is only approximate over short spans; it is a handler, not a
 * reusable accounting object the transfer engine can call; it has no parent composition beyond its global /
 * channel pair and no schedule; and it queues outbound writes in memory, where Sluice pauses reading instead.
 *
 * <p>Thread safety: a global throttle is shared by every event loop, so {@code reserve} holds this object's
 * monitor for a few arithmetic operations; nothing inside it waits, allocates or performs I/O.
 */
public final class BandwidthThrottle {

    private static final double NANOS_PER_SECOND = 1e9;
    private static final long RATE_RECHECK_NANOS = 1_000_000_000L;

    private final BandwidthThrottle parent;
    private final BandwidthSchedule schedule;
    private final Clock clock;
    private final double burstBytes;

    private long bitsPerSecond;
    private double bytesPerNano;
    private double tokens;
    private long lastNanos;
    private long lastRateCheckNanos;
    private boolean started;

    private BandwidthThrottle(BandwidthSchedule schedule, Clock clock, long burstBytes, BandwidthThrottle parent) {
        if (burstBytes < 1) {
            throw new IllegalArgumentException("burst " + burstBytes + " (expected: >= 1)");
        }
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.burstBytes = burstBytes;
        this.parent = parent;
        setRate(schedule.bitsPerSecondAt(clock.instant()));
    }

    /** A throttle at a fixed rate; 0 is unlimited (it still passes reservations to a parent). */
    public static BandwidthThrottle of(long bitsPerSecond, long burstBytes) {
        return new BandwidthThrottle(BandwidthSchedule.constant(bitsPerSecond), Clock.systemUTC(), burstBytes, null);
    }

    /** A throttle whose rate follows {@code schedule} as read from {@code clock}. */
    public static BandwidthThrottle of(BandwidthSchedule schedule, Clock clock, long burstBytes) {
        return new BandwidthThrottle(schedule, clock, burstBytes, null);
    }

    /** The process-wide throttle of {@code bandwidth.global}; one per direction. */
    public static BandwidthThrottle global(BandwidthConfig config) {
        return of(config.global(), config.burstBytes());
    }

    /** A route's throttle ({@code per_route} shaped by {@code profiles}) under the global one. */
    public static BandwidthThrottle route(BandwidthConfig config, Clock clock, BandwidthThrottle global) {
        return new BandwidthThrottle(BandwidthSchedule.of(config.perRoute(), config.profiles(), config.timeZone()),
                clock, config.burstBytes(), global);
    }

    /** A connection's throttle ({@code per_connection}) under its route's. */
    public static BandwidthThrottle connection(BandwidthConfig config, BandwidthThrottle route) {
        return route.child(config.perConnection(), config.burstBytes());
    }

    /** A throttle at a fixed rate whose reservations also count against this one. */
    public BandwidthThrottle child(long bitsPerSecond, long burstBytes) {
        return new BandwidthThrottle(BandwidthSchedule.constant(bitsPerSecond), clock, burstBytes, this);
    }

    /** A child following a schedule, e.g. a route throttle with profiles under the global one. */
    public BandwidthThrottle child(BandwidthSchedule schedule, Clock clock, long burstBytes) {
        return new BandwidthThrottle(schedule, clock, burstBytes, this);
    }

    /**
     * Debits {@code bytes} here and in every ancestor.
     *
     * @param bytes    about to be sent, or just read; 0 only asks
     * @param nowNanos a monotonic time, {@link System#nanoTime()} in production; the same source on every call
     * @return nanoseconds to wait before passing more bytes; 0 to go on
     */
    public long reserve(int bytes, long nowNanos) {
        if (bytes < 0) {
            throw new IllegalArgumentException(bytes + " (expected: >= 0)");
        }
        long wait;
        synchronized (this) {
            wait = reserveHere(bytes, nowNanos);
        }
        return parent == null ? wait : Math.max(wait, parent.reserve(bytes, nowNanos));
    }

    /** The rate in force as of the last reservation, in bits per second; 0 is unlimited. */
    public synchronized long bitsPerSecond() {
        return bitsPerSecond;
    }

    public BandwidthThrottle parent() {
        return parent;
    }

    private long reserveHere(int bytes, long now) {
        if (!started) {
            started = true;
            lastNanos = now;
            lastRateCheckNanos = now;
            tokens = burstBytes;
        }
        if (!schedule.isConstant() && now - lastRateCheckNanos >= RATE_RECHECK_NANOS) {
            lastRateCheckNanos = now;
            setRate(schedule.bitsPerSecondAt(clock.instant()));
        }
        if (bitsPerSecond == 0) {
            lastNanos = now;
            tokens = burstBytes; // unlimited: when a limit starts, it starts with a full burst
            return 0;
        }
        if (now > lastNanos) {
            tokens = Math.min(burstBytes, tokens + (now - lastNanos) * bytesPerNano);
            lastNanos = now;
        }
        tokens -= bytes;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / bytesPerNano);
    }

    private void setRate(long bps) {
        if (bps < 0) {
            throw new IllegalArgumentException(bps + " (expected: >= 0)");
        }
        bitsPerSecond = bps;
        bytesPerNano = bps / 8.0 / NANOS_PER_SECOND;
    }
}

package io.sluice.core.retry;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Backends that asked, with {@code Retry-After} on a 429 or 503, not to be retried before some time. A retry
 * never goes to such a backend before then (RFC 9110 §10.2.3); first tries are the balancer's business.
 *
 * <p>One instance per gateway, shared by every route (backends are shared too). Thread-safe; entries are
 * dropped when read after they pass, so the map holds at most the backends currently holding off.
 */
public final class RetryAfter {

    /** A longer Retry-After is taken as this: one misconfigured backend must not be skipped for days. */
    public static final Duration MAX_HOLD = Duration.ofMinutes(10);

    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Long> notBefore = new ConcurrentHashMap<>();

    public RetryAfter(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    public RetryAfter() {
        this(System::nanoTime);
    }

    /**
     * The delay a {@code Retry-After} value asks for: delta-seconds or an HTTP-date (IMF-fixdate, or the
     * obsolete RFC 850 / asctime forms as far as RFC 1123 parsing accepts them). Empty when unreadable;
     * a date in the past is zero.
     */
    public static Optional<Duration> parse(String value, Instant now) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim();
        if (!v.isEmpty() && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException tooLarge) {
                return Optional.of(MAX_HOLD);
            }
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(now, at);
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Records that {@code backend} answered with {@code Retry-After: value}; unreadable values are ignored. */
    public void record(String backend, String value) {
        parse(value, Instant.now()).ifPresent(d -> hold(backend, d));
    }

    /** No retry goes to {@code backend} for {@code delay} (at most {@link #MAX_HOLD}) from now. */
    public void hold(String backend, Duration delay) {
        long until = nanoClock.getAsLong() + Math.min(delay.toNanos(), MAX_HOLD.toNanos());
        notBefore.merge(backend, until, Math::max);
    }

    /** Nanoseconds until a retry may go to {@code backend}; 0 when it may now. */
    public long remainingNanos(String backend) {
        Long until = notBefore.get(backend);
        if (until == null) {
            return 0;
        }
        long left = until - nanoClock.getAsLong();
        if (left <= 0) {
            notBefore.remove(backend, until);
            return 0;
        }
        return left;
    }
}

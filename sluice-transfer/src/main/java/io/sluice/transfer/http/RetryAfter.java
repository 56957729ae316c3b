package io.sluice.transfer.http;

import io.netty.handler.codec.DateFormatter;
import java.time.Duration;
import java.util.Date;

/** Parses {@code Retry-After}: delay-seconds or an HTTP-date; capped at {@link #CAP}. */
public final class RetryAfter {

    /** A server asking for longer than this is treated as asking for this long. */
    public static final Duration CAP = Duration.ofMinutes(5);

    private RetryAfter() {}

    /** The delay in nanoseconds, or -1 when the header is absent or unreadable. */
    public static long nanos(String header, long nowMillis) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        long millis;
        String h = header.trim();
        if (h.chars().allMatch(Character::isDigit)) {
            try {
                millis = Math.multiplyExact(Long.parseLong(h), 1000L);
            } catch (ArithmeticException | NumberFormatException e) {
                millis = CAP.toMillis();
            }
        } else {
            Date date = DateFormatter.parseHttpDate(h);
            if (date == null) {
                return -1;
            }
            millis = Math.max(0, date.getTime() - nowMillis);
        }
        return Duration.ofMillis(Math.min(millis, CAP.toMillis())).toNanos();
    }
}

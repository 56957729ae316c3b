package io.sluice.client;

import io.sluice.client.transport.NettyTransport;
import io.sluice.client.transport.Request;
import io.sluice.client.transport.Response;
import io.sluice.client.transport.TransportException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;

/** Sends a request with {@link RetryPolicy}'s retries; waits on the transport's timer, never blocks a thread. */
final class Retrier {

    private final NettyTransport transport;
    private final RetryPolicy policy;

    Retrier(NettyTransport transport, RetryPolicy policy) {
        this.transport = transport;
        this.policy = policy;
    }

    CompletableFuture<Response> send(Request request) {
        CompletableFuture<Response> result = new CompletableFuture<>();
        attempt(request, 1, result);
        return result;
    }

    private void attempt(Request request, int attempt, CompletableFuture<Response> result) {
        transport.send(request).whenComplete((response, err) -> {
            boolean more = attempt < policy.maxAttempts();
            if (err != null) {
                Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                if (more && retryable(request, cause)) {
                    later(request, attempt, result, backoffNanos(attempt));
                } else {
                    result.completeExceptionally(cause);
                }
                return;
            }
            int status = response.status();
            boolean retryStatus = status == 429
                    || request.idempotent() && (status == 502 || status == 503 || status == 504);
            if (!more || !retryStatus) {
                result.complete(response);
                return;
            }
            long delay = backoffNanos(attempt);
            if (status == 429 || status == 503) {
                long asked = retryAfterNanos(response.header("retry-after"));
                if (asked > policy.maxRetryAfter().toNanos()) {
                    result.complete(response);
                    return;
                }
                if (asked >= 0) {
                    delay = asked;
                }
            }
            later(request, attempt, result, delay);
        });
    }

    private void later(Request request, int attempt, CompletableFuture<Response> result, long delayNanos) {
        transport.schedule(() -> attempt(request, attempt + 1, result), delayNanos);
    }

    private static boolean retryable(Request request, Throwable cause) {
        return cause instanceof TransportException te && (request.idempotent() || te.notSent());
    }

    /** Full jitter: uniform in [0, ceiling(retry)]. */
    long backoffNanos(int retry) {
        long ceiling = policy.ceilingNanos(retry);
        return ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
    }

    /** Retry-After as delta-seconds or an HTTP-date, in nanoseconds; -1 when absent or unreadable. */
    static long retryAfterNanos(String value) {
        if (value == null || value.isBlank()) {
            return -1;
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? -1 : Duration.ofSeconds(Math.min(seconds, 86_400L * 365)).toNanos();
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, Duration.between(ZonedDateTime.now(when.getZone()), when).toNanos());
            } catch (RuntimeException notDate) {
                return -1;
            }
        }
    }
}

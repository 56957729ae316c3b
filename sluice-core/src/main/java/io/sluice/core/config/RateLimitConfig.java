package io.sluice.core.config;

import java.time.Duration;

/**
 * A route's rate limit ({@code routes[i].rate_limit:}, issue 5; seed 000: 100 req/s, burst 20).
 *
 * @param enabled    apply it (default false)
 * @param rate       tokens added per {@code per} (default 100)
 * @param per        the refill period (default 1 s)
 * @param burst      bucket capacity: requests allowed at once after a quiet spell (default 20)
 * @param global     one bucket for the whole route (default true)
 * @param perClient  one bucket per client (default false)
 * @param key        what identifies a client: {@code client_ip} or {@code header:<Name>} (e.g. an API key)
 * @param maxClients per-client buckets kept at most (default 100,000; least recently used go first)
 * @param idleExpiry a client's bucket is dropped after this long without requests (default 10 min)
 */
public record RateLimitConfig(boolean enabled, long rate, Duration per, long burst, boolean global, boolean perClient,
                              String key, long maxClients, Duration idleExpiry) {

    public static final RateLimitConfig OFF = new RateLimitConfig(false, 100, Duration.ofSeconds(1), 20, true, false,
            "client_ip", 100_000, Duration.ofMinutes(10));
}

package io.sluice.core.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.local.SynchronizationStrategy;
import io.sluice.core.config.RateLimitConfig;
import java.util.function.Function;

/**
 * A route's rate limit: a global bucket, per-client buckets, or both (a request needs a token from each). Seed 000's
 * defaults: 100 requests a second with a burst of 20. Cheap enough for an event loop: a bucket is a few arithmetic
 * operations under an uncontended monitor, and the client cache is Caffeine's (bounded by {@code max_clients},
 * entries expire after {@code idle_expiry}).
 *
 * <p>Two choices keep it cheap (bench/limiter-cost): buckets are {@code SYNCHRONIZED}, not Bucket4j's default
 * lock-free strategy, which allocates a copy of the bucket's state on every token; and the client cache does its
 * housekeeping on the calling thread ({@code executor(Runnable::run)}). Caffeine's default hands it to the common
 * ForkJoinPool every few reads, and waking a pool thread from the event loop cost more CPU than the buckets themselves.
 */
public final class RateLimiter {

    /**
     * The verdict on one request.
     *
     * @param allowed          whether it may proceed
     * @param remaining        tokens left in the tightest bucket after this request
     * @param retryAfterNanos  when refused, how long until a token is available
     * @param scope            {@code global} or {@code client}: the bucket that refused
     */
    public record Decision(boolean allowed, long remaining, long retryAfterNanos, String scope) {

        /** Whole seconds until a token is available, rounded up: what {@code Retry-After} says. */
        public long retryAfterSeconds() {
            return Math.max(1, (retryAfterNanos + 999_999_999L) / 1_000_000_000L);
        }
    }

    private final RateLimitConfig config;
    private final Bucket global;
    private final Cache<String, Bucket> perClient;
    private final Function<String, Bucket> newClientBucket = key -> newBucket();

    public RateLimiter(RateLimitConfig config) {
        this.config = config;
        this.global = config.global() ? newBucket() : null;
        this.perClient = config.perClient()
                ? Caffeine.newBuilder().maximumSize(config.maxClients()).expireAfterAccess(config.idleExpiry())
                        .executor(Runnable::run).build()
                : null;
    }

    public RateLimitConfig config() {
        return config;
    }

    /** Takes a token for a request from {@code clientKey} (its address, or the configured header's value). */
    public Decision tryAcquire(String clientKey) {
        long remaining = Long.MAX_VALUE;
        if (global != null) {
            ConsumptionProbe probe = global.tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                return new Decision(false, 0, probe.getNanosToWaitForRefill(), "global");
            }
            remaining = probe.getRemainingTokens();
        }
        if (perClient != null) {
            ConsumptionProbe probe = perClient.get(clientKey, newClientBucket).tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                if (global != null) {
                    global.addTokens(1); // the request does not go out: give the global token back
                }
                return new Decision(false, 0, probe.getNanosToWaitForRefill(), "client");
            }
            remaining = Math.min(remaining, probe.getRemainingTokens());
        }
        return new Decision(true, remaining, 0, null);
    }

    /** Per-client buckets alive now (bounded by {@code max_clients}). */
    public long clients() {
        if (perClient == null) {
            return 0;
        }
        perClient.cleanUp();
        return perClient.estimatedSize();
    }

    /** The IETF {@code RateLimit-Policy} value for this limit (draft-ietf-httpapi-ratelimit-headers). */
    public String policyHeader() {
        return "\"default\";q=" + config.burst() + ";w=" + Math.max(1, config.per().toSeconds());
    }

    /** The IETF {@code RateLimit} value for a decision: remaining quota and seconds until it resets. */
    public String rateLimitHeader(Decision decision) {
        long reset = decision.allowed() ? 0 : decision.retryAfterSeconds();
        return "\"default\";r=" + decision.remaining() + ";t=" + reset;
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .withSynchronizationStrategy(SynchronizationStrategy.SYNCHRONIZED)
                .addLimit(limit -> limit.capacity(config.burst()).refillGreedy(config.rate(), config.per()))
                .build();
    }
}

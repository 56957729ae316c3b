/**
 * Resource protection (issue 5). {@link io.sluice.core.limit.RateLimiter}: Bucket4j token buckets per route,
 * global and per client, the per-client ones in a bounded Caffeine cache so that a flood of distinct clients cannot
 * grow memory without limit. Buckets refill greedily (smoothly), not in steps.
 */
package io.sluice.core.limit;

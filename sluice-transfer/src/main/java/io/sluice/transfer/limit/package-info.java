/**
 * Bandwidth limits for a transfer job ({@code --limit}): {@link io.sluice.transfer.limit.Throttle} and a
 * token bucket. A stand-in until {@code io.sluice.core.limit.BandwidthThrottle} is available.
 */
package io.sluice.transfer.limit;

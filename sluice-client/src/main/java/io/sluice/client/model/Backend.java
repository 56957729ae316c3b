package io.sluice.client.model;

/**
 * A backend's live state.
 *
 * @param address         {@code host:port}, its identity
 * @param effectiveWeight the weight now, lower while slow start ramps it up (may be null)
 * @param adminState      {@code enabled}, {@code draining}, or {@code removed} (only in a DELETE's answer)
 * @param health          {@code healthy}, {@code unhealthy}, {@code unknown}
 * @param ejected         ejected by outlier detection
 * @param usable          whether the balancer may pick it now
 * @param inFlight        requests in flight to it
 */
public record Backend(String address, String host, int port, int weight, Integer effectiveWeight, String adminState,
                      String health, boolean ejected, boolean usable, long inFlight, PoolState pool) {}

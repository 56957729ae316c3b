package io.sluice.core.config;

import java.time.Duration;

/**
 * How a route's balancer behaves beyond its {@code algorithm} (issue 4).
 *
 * @param hashKey   {@code ip_hash}: {@code client_ip} (default), {@code header:<Name>} or {@code cookie:<name>}
 * @param slowStart a backend that (re)joins ramps from 10 % to its full weight over this (default 0: off)
 * @param ewmaDecay {@code least_response_time}: time constant of the latency average and of its decay toward the
 *                  route mean while a backend gets no traffic (default 10 s)
 */
public record BalancerOptions(String hashKey, Duration slowStart, Duration ewmaDecay) {

    public static final BalancerOptions DEFAULTS =
            new BalancerOptions("client_ip", Duration.ZERO, Duration.ofSeconds(10));
}

/**
 * Load balancing: which backend of a route takes a request.
 *
 * <p><b>Starting points.</b> {@link io.sluice.core.balance.BalancingStrategy#named} turns a route's
 * {@link io.sluice.core.config.BalancerConfig} into a strategy; its {@code newBalancer(List<Backend>)} builds a
 * {@link io.sluice.core.balance.Balancer} over a snapshot of the route's usable backends, and
 * {@link io.sluice.core.balance.Balancer#pick} chooses one per request from the
 * {@link io.sluice.core.balance.PickContext} (client address, headers, cookies).
 * {@link io.sluice.core.balance.Backend} is a live backend: the proxy reports requests in flight, latencies
 * and rejoins to it, and balancers read them.
 *
 * <p><b>Design</b>, after Armeria's {@code EndpointSelectionStrategy}: small interfaces, one small class per
 * algorithm, picks without locks from an immutable snapshot. A balancer is rebuilt whenever the usable set
 * changes (health, drain), so anything it learns that must survive a rebuild lives on {@code Backend}, not in
 * the balancer. Randomness ({@link java.util.random.RandomGenerator} supplier) and time (a nanosecond
 * {@link java.util.function.LongSupplier}) are injected so tests are seeded and never sleep.
 *
 * <ul>
 *   <li>{@code RoundRobinBalancer}: one atomic counter.
 *   <li>{@code WeightedRoundRobinBalancer}: nginx's smooth weighted round robin
 *       ({@code ngx_http_upstream_round_robin.c}, {@code ngx_http_upstream_get_peer}); the one algorithm with a
 *       (short) lock, because its state is a vector updated as a whole.
 *   <li>{@code LeastConnectionsBalancer} and {@code PowerOfTwoChoicesBalancer}: in-flight per unit of weight
 *       ({@code Load}); the latter after M. Mitzenmacher, "The Power of Two Choices in Randomized Load
 *       Balancing", IEEE TPDS 12(10), 2001.
 *   <li>{@code LeastResponseTimeBalancer}: Finagle's / Linkerd's PeakEwma ({@code com.twitter.finagle
 *       .loadbalancer.PeakEwma}: cost = latency &times; (in flight + 1)), chosen by two random choices, with an
 *       idle backend's average decaying toward its peers' mean.
 *   <li>{@code MaglevBalancer}: D. Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load
 *       Balancer", NSDI 2016, section 3.4; keys hashed by {@code Hashing}.
 * </ul>
 *
 * <p>Slow start (Envoy's, with aggression 1) is not an algorithm:
 * {@link io.sluice.core.balance.Backend#effectiveWeight} ramps a rejoined backend's weight, and every
 * weight-aware balancer reads it.
 */
package io.sluice.core.balance;

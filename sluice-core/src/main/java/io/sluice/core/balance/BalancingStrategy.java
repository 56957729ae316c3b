package io.sluice.core.balance;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Builds a {@link Balancer} for a snapshot of backends. One strategy per {@code algorithm:} name; a route's
 * balancer is rebuilt from its strategy whenever the set of usable backends changes, so per-backend state that must
 * survive (in-flight counts, latency, slow start) lives on {@link Backend}.
 */
@FunctionalInterface
public interface BalancingStrategy {

    Balancer newBalancer(List<Backend> backends);

    /** Default randomness; tests pass a seeded generator instead. */
    Supplier<RandomGenerator> THREAD_LOCAL_RANDOM = ThreadLocalRandom::current;

    /** Even rotation, ignoring weights. */
    static BalancingStrategy roundRobin() {
        return RoundRobinBalancer::new;
    }

    /** nginx's smooth weighted round robin. */
    static BalancingStrategy weightedRoundRobin() {
        return WeightedRoundRobinBalancer::new;
    }

    static BalancingStrategy leastConnections(Supplier<RandomGenerator> random) {
        return backends -> new LeastConnectionsBalancer(backends, random);
    }

    static BalancingStrategy powerOfTwoChoices(Supplier<RandomGenerator> random) {
        return backends -> new PowerOfTwoChoicesBalancer(backends, random);
    }

    /** Ring-hash consistent hashing on {@code client_ip}, {@code header:<Name>} or {@code cookie:<name>}. */
    static BalancingStrategy ipHash(String hashKey) {
        RingHashBalancer.HashKey key = RingHashBalancer.HashKey.parse(hashKey);
        return backends -> new RingHashBalancer(backends, key);
    }

    /** Peak-EWMA latency × in-flight, decaying toward the route mean with time constant {@code decay}. */
    static BalancingStrategy leastResponseTime(Supplier<RandomGenerator> random, Duration decay) {
        return backends -> new LeastResponseTimeBalancer(backends, random, decay.toNanos());
    }

    /** The {@code algorithm:} names accepted in configuration. */
    static List<String> names() {
        return List.of("round_robin", "weighted_round_robin", "least_connections", "ip_hash",
                "least_response_time", "power_of_two_choices");
    }

    /** The strategy for an {@code algorithm:} name with default options; the config validator has checked it. */
    static BalancingStrategy named(String algorithm) {
        return named(algorithm, "client_ip", Duration.ofSeconds(10), THREAD_LOCAL_RANDOM);
    }

    static BalancingStrategy named(String algorithm, String hashKey, Duration ewmaDecay, Supplier<RandomGenerator> random) {
        return switch (algorithm) {
            case "round_robin" -> roundRobin();
            case "weighted_round_robin" -> weightedRoundRobin();
            case "least_connections" -> leastConnections(random);
            case "ip_hash" -> ipHash(hashKey);
            case "least_response_time" -> leastResponseTime(random, ewmaDecay);
            case "power_of_two_choices" -> powerOfTwoChoices(random);
            default -> throw new IllegalArgumentException(
                    "unknown algorithm: " + algorithm + " (expected one of " + names() + ")");
        };
    }
}

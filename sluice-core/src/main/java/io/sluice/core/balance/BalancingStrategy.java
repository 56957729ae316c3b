package io.sluice.core.balance;

import io.sluice.core.config.BalancerConfig;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Builds a {@link Balancer} for a snapshot of a route's usable backends; one strategy per {@code algorithm:}
 * name. A strategy lives as long as its route; {@link #newBalancer} is called again whenever the usable set
 * changes. Strategies that draw random numbers or read the time take a {@link RandomGenerator} supplier and
 * a nanosecond clock, so tests can seed the one and drive the other.
 */
@FunctionalInterface
public interface BalancingStrategy {

    Balancer newBalancer(List<Backend> backends);

    /** Even rotation, ignoring weights. */
    static BalancingStrategy roundRobin() {
        return RoundRobinBalancer::new;
    }

    /** nginx's smooth weighted round robin: exact shares, interleaved; honours slow start. */
    static BalancingStrategy weightedRoundRobin(LongSupplier nanoClock) {
        return backends -> new WeightedRoundRobinBalancer(backends, nanoClock);
    }

    /** The fewest requests in flight per unit of weight, ties broken at random; honours slow start. */
    static BalancingStrategy leastConnections(Supplier<RandomGenerator> random, LongSupplier nanoClock) {
        return backends -> new LeastConnectionsBalancer(backends, random, nanoClock);
    }

    /** The less loaded (per unit of weight) of two backends drawn at random; honours slow start. */
    static BalancingStrategy powerOfTwoChoices(Supplier<RandomGenerator> random, LongSupplier nanoClock) {
        return backends -> new PowerOfTwoChoicesBalancer(backends, random, nanoClock);
    }

    /** Maglev consistent hashing of the client IP, a header or a cookie. */
    static BalancingStrategy ipHash(BalancerConfig.HashKey key) {
        return backends -> new MaglevBalancer(backends, key);
    }

    /** Power of two choices by peak-EWMA latency times load; honours slow start. */
    static BalancingStrategy leastResponseTime(Supplier<RandomGenerator> random, LongSupplier nanoClock) {
        return backends -> new LeastResponseTimeBalancer(backends, random, nanoClock);
    }

    /** The {@code algorithm:} names accepted in configuration. */
    static Set<String> names() {
        return Set.of("round_robin", "weighted_round_robin", "least_connections", "ip_hash",
                "least_response_time", "power_of_two_choices");
    }

    /** The algorithms that read {@link Backend#effectiveWeight}, and so honour {@code slow_start}. */
    static Set<String> weightAware() {
        return Set.of("weighted_round_robin", "least_connections", "least_response_time", "power_of_two_choices");
    }

    /** The strategy for a route's balancer configuration, with {@link ThreadLocalRandom} and the system clock. */
    static BalancingStrategy named(BalancerConfig config) {
        return named(config, ThreadLocalRandom::current, System::nanoTime);
    }

    /**
     * The strategy for a route's balancer configuration; the config validator has already checked the name.
     * Backends given to its balancers should be built with {@link Backend#of} from the same configuration.
     */
    static BalancingStrategy named(BalancerConfig config, Supplier<RandomGenerator> random, LongSupplier nanoClock) {
        return switch (config.algorithm()) {
            case "round_robin" -> roundRobin();
            case "weighted_round_robin" -> weightedRoundRobin(nanoClock);
            case "least_connections" -> leastConnections(random, nanoClock);
            case "ip_hash" -> ipHash(config.hashKey());
            case "least_response_time" -> leastResponseTime(random, nanoClock);
            case "power_of_two_choices" -> powerOfTwoChoices(random, nanoClock);
            default -> throw new IllegalArgumentException(
                    "unknown algorithm: " + config.algorithm() + " (expected one of " + names() + ")");
        };
    }
}

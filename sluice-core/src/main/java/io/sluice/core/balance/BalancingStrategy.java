package io.sluice.core.balance;

import java.util.List;
import java.util.Set;

/** Builds a {@link Balancer} for a snapshot of backends. One strategy per {@code algorithm:} name. */
@FunctionalInterface
public interface BalancingStrategy {

    Balancer newBalancer(List<Backend> backends);

    /** Even rotation, ignoring weights. */
    static BalancingStrategy roundRobin() {
        return RoundRobinBalancer::new;
    }

    /** The {@code algorithm:} names accepted in configuration. */
    static Set<String> names() {
        return Set.of("round_robin");
    }

    /** The strategy for an {@code algorithm:} name; the config validator has already checked it. */
    static BalancingStrategy named(String algorithm) {
        return switch (algorithm) {
            case "round_robin" -> roundRobin();
            default -> throw new IllegalArgumentException(
                    "unknown algorithm: " + algorithm + " (expected one of " + names() + ")");
        };
    }
}

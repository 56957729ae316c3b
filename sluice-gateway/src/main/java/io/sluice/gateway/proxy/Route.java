package io.sluice.gateway.proxy;

import io.sluice.core.balance.Backend;
import io.sluice.core.balance.Balancer;
import io.sluice.core.config.RouteConfig;
import io.sluice.core.retry.RetryBudget;
import java.util.List;
import java.util.Locale;

/** A configured route bound to its live backends, balancer and retry budget. */
public record Route(RouteConfig config, List<Backend> backends, Balancer balancer, RetryBudget retryBudget) {

    public Route {
        backends = List.copyOf(backends);
    }

    /** A route with a fresh retry budget as its configuration describes. */
    public Route(RouteConfig config, List<Backend> backends, Balancer balancer) {
        this(config, backends, balancer, RetryBudget.of(config.retry()));
    }

    public String name() {
        return config.name();
    }

    /** Whether this route takes a request for {@code host} (port stripped, lower case) and {@code path}. */
    boolean matches(String host, String path) {
        if (config.host().isPresent() && !config.host().get().toLowerCase(Locale.ROOT).equals(host)) {
            return false;
        }
        return path.startsWith(config.pathPrefix());
    }
}

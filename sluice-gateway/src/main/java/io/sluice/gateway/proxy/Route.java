package io.sluice.gateway.proxy;

import io.sluice.core.balance.Backend;
import io.sluice.core.balance.Balancer;
import io.sluice.core.config.RouteConfig;
import java.util.List;
import java.util.Locale;

/** A configured route bound to its live backends and balancer. */
public record Route(RouteConfig config, List<Backend> backends, Balancer balancer) {

    public Route {
        backends = List.copyOf(backends);
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

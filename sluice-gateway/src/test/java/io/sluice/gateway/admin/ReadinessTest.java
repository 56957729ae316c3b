package io.sluice.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.BackendConfig;
import io.sluice.core.config.BalancerConfig;
import io.sluice.core.config.RouteConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    private static final BackendConfig BACKEND = new BackendConfig("127.0.0.1", 8080, 100, 0);

    @Test
    void isNotReadyBeforeAnyListenerIsKnown() {
        Readiness readiness = new Readiness();

        assertThat(readiness.status().ready()).isFalse();
        assertThat(readiness.status().reasons()).containsExactly("no listener configured", "no route configured");
    }

    @Test
    void isNotReadyWithoutAnyRoute() {
        Readiness readiness = new Readiness();
        readiness.listenerBound("http");

        assertThat(readiness.status().reasons()).containsExactly("no route configured");
    }

    @Test
    void isReadyWhenEveryListenerIsBoundAndEveryRouteHasABackend() {
        Readiness readiness = new Readiness();
        readiness.expectListener("http");
        readiness.setRoutes(List.of(route("api", BACKEND)));
        readiness.listenerBound("http");

        assertThat(readiness.isReady()).isTrue();
        assertThat(readiness.status().reasons()).isEmpty();
    }

    @Test
    void reportsEveryReasonInListenerRouteDrainingOrder() {
        Readiness readiness = new Readiness();
        readiness.expectListener("http");
        readiness.expectListener("admin-tls");
        readiness.listenerBound("admin-tls");
        readiness.setRoutes(List.of(route("api"), route("web", BACKEND)));
        readiness.startDraining();

        assertThat(readiness.status().reasons())
                .containsExactly("listener http not bound", "route api has no usable backend", "draining");
    }

    @Test
    void anUnboundListenerMakesItNotReadyAgainUntilForgotten() {
        Readiness readiness = new Readiness();
        readiness.setRoutes(List.of(route("api", BACKEND)));
        readiness.listenerBound("http");
        readiness.listenerBound("https");
        assertThat(readiness.isReady()).isTrue();

        readiness.listenerUnbound("https");
        assertThat(readiness.status().reasons()).containsExactly("listener https not bound");

        readiness.forgetListener("https");
        assertThat(readiness.isReady()).isTrue();
    }

    @Test
    void expectingABoundListenerAgainKeepsItBound() {
        Readiness readiness = new Readiness();
        readiness.setRoutes(List.of(route("api", BACKEND)));
        readiness.listenerBound("http");

        readiness.expectListener("http");

        assertThat(readiness.isReady()).isTrue();
    }

    @Test
    void usabilityPredicateDecidesWhichBackendsCount() {
        BackendConfig down = new BackendConfig("10.0.0.2", 80, 100, 0);
        Readiness readiness = new Readiness();
        readiness.listenerBound("http");
        readiness.setRoutes(List.of(route("api", BACKEND, down), route("web", down)));

        readiness.setBackendUsability((route, backend) -> backend != down);

        assertThat(readiness.status().reasons()).containsExactly("route web has no usable backend");
    }

    @Test
    void aThrowingPredicateCountsTheBackendAsUnusable() {
        Readiness readiness = new Readiness();
        readiness.listenerBound("http");
        readiness.setRoutes(List.of(route("api", BACKEND)));

        readiness.setBackendUsability((route, backend) -> {
            throw new IllegalStateException("health checker broken");
        });

        assertThat(readiness.status().reasons()).containsExactly("route api has no usable backend");
    }

    @Test
    void drainingIsOneWay() {
        Readiness readiness = new Readiness();
        readiness.listenerBound("http");

        readiness.startDraining();
        readiness.listenerBound("http");
        readiness.setRoutes(List.of(route("api", BACKEND)));

        assertThat(readiness.draining()).isTrue();
        assertThat(readiness.status().reasons()).containsExactly("draining");
    }

    private static RouteConfig route(String name, BackendConfig... backends) {
        return new RouteConfig(name, Optional.empty(), "/", BalancerConfig.of("round_robin"), List.of(backends));
    }
}

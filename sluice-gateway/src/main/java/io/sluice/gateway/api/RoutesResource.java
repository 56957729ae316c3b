package io.sluice.gateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sluice.core.balance.Backend;
import io.sluice.core.config.BackendConfig;
import io.sluice.core.health.HealthChecker;
import io.sluice.core.pool.PoolStats;
import io.sluice.gateway.control.LiveRoutes;
import io.sluice.gateway.proxy.Route;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/routes...}: routes and backends with their live state, and runtime changes to backends. */
final class RoutesResource {

    static final String ROUTES = "/api/v1/routes";

    private final LiveRoutes live;

    RoutesResource(LiveRoutes live) {
        this.live = live;
    }

    void register(ApiRouter router) {
        router.add("GET", ROUTES, (req, p) -> ApiResponse.ok(new RouteList(live.routes().stream().map(this::view)
                        .toList())))
                .add("GET", ROUTES + "/{route}", (req, p) -> ApiResponse.ok(view(live.route(p.get("route")))))
                .add("GET", ROUTES + "/{route}/backends", (req, p) -> {
                    Route route = live.route(p.get("route"));
                    return ApiResponse.ok(new BackendList(route.name(), backends(route)));
                })
                .add("POST", ROUTES + "/{route}/backends", this::add)
                .add("GET", ROUTES + "/{route}/backends/{backend}", (req, p) -> {
                    Route route = live.route(p.get("route"));
                    return ApiResponse.ok(view(route, live.backend(route.name(), p.get("backend")), null));
                })
                .add("PATCH", ROUTES + "/{route}/backends/{backend}", this::patch)
                .add("DELETE", ROUTES + "/{route}/backends/{backend}", (req, p) -> {
                    Route route = live.route(p.get("route"));
                    Backend gone = live.remove(route.name(), p.get("backend"));
                    return ApiResponse.ok(view(route, gone, "removed"));
                })
                .add("POST", ROUTES + "/{route}/backends/{backend}/drain", (req, p) -> drain(p, true))
                .add("POST", ROUTES + "/{route}/backends/{backend}/enable", (req, p) -> drain(p, false));
    }

    private ApiResponse drain(Map<String, String> p, boolean drain) {
        Backend backend = live.drain(p.get("route"), p.get("backend"), drain);
        return ApiResponse.ok(view(live.route(p.get("route")), backend, null));
    }

    private ApiResponse add(ApiRequest req, Map<String, String> p) {
        Route route = live.route(p.get("route"));
        BackendSpec spec = Codec.bind(req.body(), BackendSpec.class, "a backend {host, port, weight, max_connections}");
        List<Problem.FieldError> errors = new ArrayList<>();
        if (spec.host() == null || spec.host().isBlank()) {
            errors.add(new Problem.FieldError("host", "required: a host name or address"));
        }
        if (spec.port() == null) {
            errors.add(new Problem.FieldError("port", "required: 1..65535"));
        } else if (spec.port() < 1 || spec.port() > 65535) {
            errors.add(new Problem.FieldError("port", "must be 1..65535, got " + spec.port()));
        }
        int weight = spec.weight() == null ? 100 : spec.weight();
        if (weight < 1 || weight > 1000) {
            errors.add(new Problem.FieldError("weight", "must be 1..1000, got " + weight));
        }
        int maxConnections = spec.maxConnections() == null
                ? live.config().connectionPool().maxConnections() : spec.maxConnections();
        if (maxConnections < 1 || maxConnections > 100_000) {
            errors.add(new Problem.FieldError("max_connections", "must be 1..100000, got " + maxConnections));
        }
        if (!errors.isEmpty()) {
            throw validation(errors);
        }
        String host = spec.host().strip();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        Backend added = live.add(route.name(), new BackendConfig(host, spec.port(), weight, maxConnections));
        return ApiResponse.created(view(route, added, null), location(route.name(), added.address()));
    }

    private ApiResponse patch(ApiRequest req, Map<String, String> p) {
        Route route = live.route(p.get("route"));
        live.backend(route.name(), p.get("backend"));
        BackendPatch patch = Codec.bind(req.body(), BackendPatch.class, "a backend patch {weight}");
        if (patch.weight() == null) {
            throw ApiException.invalid("weight", "required: 1..1000");
        }
        if (patch.weight() < 1 || patch.weight() > 1000) {
            throw ApiException.invalid("weight", "must be 1..1000, got " + patch.weight());
        }
        return ApiResponse.ok(view(route, live.weight(route.name(), p.get("backend"), patch.weight()), null));
    }

    static ApiException validation(List<Problem.FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " invalid fields: " + String.join("; ",
                        errors.stream().map(e -> e.field() + ": " + e.message()).toList());
        return new ApiException(422, "validation", detail, errors, List.of());
    }

    static String location(String route, String address) {
        return ROUTES + "/" + segment(route) + "/backends/" + segment(address);
    }

    /** Percent-encodes a path segment, leaving {@code :} readable. */
    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%3A", ":");
    }

    RouteView view(Route route) {
        List<BackendView> backends = backends(route);
        return new RouteView(route.name(), route.config().host().orElse(null), route.config().pathPrefix(),
                route.config().algorithm(), route.files() != null, route.config().panicRouting(),
                route.usable().size(), backends);
    }

    private List<BackendView> backends(Route route) {
        return route.backends().stream().map(b -> view(route, b, null)).toList();
    }

    BackendView view(Route route, Backend b, String stateOverride) {
        String address = b.address();
        HealthChecker checker = live.healthChecker();
        String health = checker.lastResult(address).isEmpty() ? "unknown"
                : checker.isHealthy(address) ? "healthy" : "unhealthy";
        String state = stateOverride != null ? stateOverride : route.drained(address) ? "draining" : "enabled";
        boolean usable = stateOverride == null && route.usable(address);
        PoolStats s = b.pool().stats();
        return new BackendView(address, b.config().host(), b.config().port(), b.weight(), b.effectiveWeight(), state,
                health, route.outliers().isEjected(address), usable, b.inFlight(),
                new PoolView(s.total(), s.active(), s.idle(), s.pending()));
    }

    record RouteList(List<RouteView> routes) {}

    record RouteView(String name, String host, String pathPrefix, String algorithm,
                     @JsonProperty("static") boolean isStatic, boolean panicRouting, int usableBackends,
                     List<BackendView> backends) {}

    record BackendList(String route, List<BackendView> backends) {}

    record BackendView(String address, String host, int port, int weight, int effectiveWeight, String adminState,
                       String health, boolean ejected, boolean usable, int inFlight, PoolView pool) {}

    record PoolView(int total, int active, int idle, int pending) {}

    record BackendSpec(String host, Integer port, Integer weight, Integer maxConnections) {}

    record BackendPatch(Integer weight) {}
}

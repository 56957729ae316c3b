package io.sluice.client.model;

import java.util.List;

/** {@code GET /api/v1/routes}: the routes in match order. */
public record RouteList(List<Route> routes) {

    public RouteList {
        routes = routes == null ? List.of() : List.copyOf(routes);
    }
}

package io.sluice.gateway.proxy;

import java.util.List;
import java.util.Locale;

/** Routes in configuration order; the first that matches a request takes it. Immutable. */
public final class RouteTable {

    private final Route[] routes;

    public RouteTable(List<Route> routes) {
        this.routes = routes.toArray(Route[]::new);
    }

    public List<Route> routes() {
        return List.of(routes);
    }

    /** The route for a request, or null. {@code hostHeader} may carry a port and may be null. */
    public Route match(String hostHeader, String uri) {
        String host = hostOnly(hostHeader);
        String path = pathOf(uri);
        for (Route route : routes) {
            if (route.matches(host, path)) {
                return route;
            }
        }
        return null;
    }

    static String hostOnly(String hostHeader) {
        if (hostHeader == null) {
            return "";
        }
        String host = hostHeader;
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            host = end > 0 ? host.substring(0, end + 1) : host;
        } else {
            int colon = host.indexOf(':');
            if (colon >= 0) {
                host = host.substring(0, colon);
            }
        }
        return host.toLowerCase(Locale.ROOT);
    }

    /** The path of an origin-form or absolute-form request target. */
    static String pathOf(String uri) {
        int start = 0;
        int scheme = uri.indexOf("://");
        if (scheme > 0 && uri.charAt(0) != '/') {
            int slash = uri.indexOf('/', scheme + 3);
            if (slash < 0) {
                return "/";
            }
            start = slash;
        }
        int end = uri.length();
        for (int i = start; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        return uri.substring(start, end);
    }
}

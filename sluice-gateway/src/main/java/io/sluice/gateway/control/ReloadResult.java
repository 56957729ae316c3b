package io.sluice.gateway.control;

import io.sluice.core.config.BackendConfig;
import io.sluice.core.config.RouteConfig;
import io.sluice.core.config.SluiceConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a reload did.
 *
 * @param applied         always true for a result (an invalid file never gets this far)
 * @param file            the file read, or null when the configuration came from elsewhere
 * @param changes         what changed, one line each, e.g. {@code route api: backend 10.0.0.3:80 added}
 * @param restartRequired sections that differ from the running ones but only take effect on a restart
 */
public record ReloadResult(boolean applied, String file, List<String> changes, List<String> restartRequired) {

    public ReloadResult {
        changes = List.copyOf(changes);
        restartRequired = List.copyOf(restartRequired);
    }

    public ReloadResult withFile(String file) {
        return new ReloadResult(applied, file, changes, restartRequired);
    }

    /**
     * The top-level sections of {@code next} that differ from {@code running} and cannot change at runtime: the
     * listeners and event loops, sockets, deadlines, pools, the admin listener itself, L4 forwarding.
     */
    static List<String> restartRequired(SluiceConfig running, SluiceConfig next, boolean compressing) {
        List<String> out = new ArrayList<>();
        diff(out, "server", running.server(), next.server());
        diff(out, "connection_settings", running.connectionSettings(), next.connectionSettings());
        diff(out, "timeouts", running.timeouts(), next.timeouts());
        diff(out, "connection_pool", running.connectionPool(), next.connectionPool());
        diff(out, "proxy", running.proxy(), next.proxy());
        diff(out, "admin", running.admin(), next.admin());
        diff(out, "access_log", running.accessLog(), next.accessLog());
        diff(out, "compression", running.compression(), next.compression());
        diff(out, "tcp", running.tcp(), next.tcp());
        diff(out, "health_checks", running.healthChecks(), next.healthChecks());
        if (!compressing && next.routes().stream().anyMatch(r -> r.compression().enabled())) {
            out.add("routes[].compression (no route compressed at start, so no compressor is in the pipelines)");
        }
        return out;
    }

    private static void diff(List<String> out, String section, Object running, Object next) {
        if (!Objects.equals(running, next)) {
            out.add(section);
        }
    }

    /** Adds the changes between two versions of one route to {@code changes}, and what they cannot apply. */
    static void describe(RouteConfig old, RouteConfig now, List<String> changes, List<String> restart) {
        String name = now.name();
        Map<String, BackendConfig> before = new LinkedHashMap<>();
        old.backends().forEach(b -> before.put(b.address(), b));
        Map<String, BackendConfig> after = new LinkedHashMap<>();
        now.backends().forEach(b -> after.put(b.address(), b));
        for (var e : after.entrySet()) {
            BackendConfig was = before.get(e.getKey());
            if (was == null) {
                changes.add("route " + name + ": backend " + e.getKey() + " added");
            } else if (was.weight() != e.getValue().weight()) {
                changes.add("route " + name + ": backend " + e.getKey() + " weight " + was.weight() + " -> "
                        + e.getValue().weight());
            }
            if (was != null && was.maxConnections() != e.getValue().maxConnections()) {
                restart.add("routes." + name + ".backends[" + e.getKey() + "].max_connections");
            }
        }
        for (String address : before.keySet()) {
            if (!after.containsKey(address)) {
                changes.add("route " + name + ": backend " + address + " removed");
            }
        }
        RouteConfig oldSansBackends = withoutBackends(old);
        RouteConfig nowSansBackends = withoutBackends(now);
        if (!oldSansBackends.equals(nowSansBackends)) {
            changes.add("route " + name + ": settings changed");
        }
        if (!old.healthChecks().equals(now.healthChecks())) {
            restart.add("routes." + name + ".health_checks (backends already checked keep their running checks)");
        }
    }

    private static RouteConfig withoutBackends(RouteConfig r) {
        return new RouteConfig(r.name(), r.host(), r.pathPrefix(), r.algorithm(), List.of(), r.files(),
                r.compression(), r.maxBodySize(), r.healthChecks(), r.outlierDetection(), r.panicRouting(),
                r.balancer(), r.retry(), r.rateLimit());
    }
}

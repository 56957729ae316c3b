package io.sluice.gateway.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.sluice.core.balance.Backend;
import io.sluice.gateway.control.LiveRoutes;
import io.sluice.gateway.metrics.GatewayMetricNames;
import io.sluice.gateway.proxy.Route;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/v1/stats}: per route and backend, counts since start, rates over the last
 * {@value #WINDOW_SECONDS} s and latency percentiles, all read from the gateway's Micrometer meters (the same ones
 * {@code /metrics} exposes). A sample of the counters is kept every second (by {@link #sample()}, which the API's
 * executor calls) so that a rate needs no second scrape.
 */
final class StatsResource {

    static final int WINDOW_SECONDS = 10;

    private final LiveRoutes live;
    private final MeterRegistry registry;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private final long startNanos = System.nanoTime();

    /** Counter values by key ({@code r:route}, {@code re:route}, {@code b:address}, {@code be:address}). */
    private record Sample(long nanos, Map<String, Double> counts) {}

    StatsResource(LiveRoutes live, MeterRegistry registry) {
        this.live = live;
        this.registry = registry;
    }

    void register(ApiRouter router) {
        router.add("GET", "/api/v1/stats", (req, p) -> ApiResponse.ok(stats()));
    }

    /** Records the counters now; keeps just over a window of samples. Called once a second on the API thread. */
    synchronized void sample() {
        long now = System.nanoTime();
        samples.addLast(new Sample(now, counts()));
        while (samples.size() > 2 && now - samples.peekFirst().nanos() > TimeUnit.SECONDS.toNanos(WINDOW_SECONDS)) {
            samples.removeFirst();
        }
    }

    private Map<String, Double> counts() {
        Map<String, Double> counts = new HashMap<>();
        for (Route route : live.routes()) {
            double requests = 0;
            double errors = 0;
            for (Timer t : routeTimers(route.name())) {
                requests += t.count();
                if ("5xx".equals(t.getId().getTag(GatewayMetricNames.STATUS_CLASS))) {
                    errors += t.count();
                }
            }
            counts.put("r:" + route.name(), requests);
            counts.put("re:" + route.name(), errors);
            for (Backend b : route.backends()) {
                Timer t = registry.find(GatewayMetricNames.UPSTREAM_RESPONSE).tag(GatewayMetricNames.BACKEND, b.address())
                        .timer();
                counts.put("b:" + b.address(), t == null ? 0.0 : t.count());
                counts.put("be:" + b.address(), backendErrors(b.address()));
            }
        }
        return counts;
    }

    private Collection<Timer> routeTimers(String route) {
        return registry.find(GatewayMetricNames.REQUESTS).tag(GatewayMetricNames.ROUTE, route).timers();
    }

    private double backendErrors(String address) {
        double sum = 0;
        for (Counter c : registry.find(GatewayMetricNames.UPSTREAM_ERRORS).tag(GatewayMetricNames.BACKEND, address)
                .counters()) {
            sum += c.count();
        }
        return sum;
    }

    synchronized Stats stats() {
        long now = System.nanoTime();
        Map<String, Double> current = counts();
        Sample base = samples.isEmpty() ? new Sample(startNanos, Map.of()) : samples.peekFirst();
        double seconds = Math.max(1e-3, (now - base.nanos()) / 1e9);
        List<RouteStats> routes = new ArrayList<>();
        for (Route route : live.routes()) {
            List<BackendStats> backends = new ArrayList<>();
            for (Backend b : route.backends()) {
                String a = b.address();
                Timer t = registry.find(GatewayMetricNames.UPSTREAM_RESPONSE).tag(GatewayMetricNames.BACKEND, a).timer();
                backends.add(new BackendStats(a, (long) (double) current.get("b:" + a),
                        rate(current, base, "b:" + a, seconds), (long) (double) current.get("be:" + a),
                        rate(current, base, "be:" + a, seconds), b.inFlight(),
                        latency(t == null ? List.of() : List.of(t))));
            }
            String r = route.name();
            routes.add(new RouteStats(r, (long) (double) current.get("r:" + r), rate(current, base, "r:" + r, seconds),
                    (long) (double) current.get("re:" + r), rate(current, base, "re:" + r, seconds),
                    latency(routeTimers(r)), backends));
        }
        double uptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
        return new Stats(Instant.now().toString(), uptime, round(seconds), routes);
    }

    private static double rate(Map<String, Double> now, Sample base, String key, double seconds) {
        double before = base.counts().getOrDefault(key, 0.0);
        return round(Math.max(0, now.getOrDefault(key, 0.0) - before) / seconds);
    }

    /** Percentiles from the merged cumulative histograms of {@code timers} (same buckets), in milliseconds. */
    static Latency latency(Collection<Timer> timers) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        long count = 0;
        double totalMs = 0;
        double maxMs = 0;
        for (Timer t : timers) {
            HistogramSnapshot s = t.takeSnapshot();
            count += s.count();
            totalMs += s.total(TimeUnit.MILLISECONDS);
            maxMs = Math.max(maxMs, s.max(TimeUnit.MILLISECONDS));
            for (CountAtBucket c : s.histogramCounts()) {
                buckets.merge(c.bucket(TimeUnit.MILLISECONDS), c.count(), Double::sum);
            }
        }
        if (count == 0) {
            return new Latency(0, 0, 0, 0);
        }
        return new Latency(round(percentile(buckets, count, 0.50, maxMs)),
                round(percentile(buckets, count, 0.99, maxMs)), round(totalMs / count), round(maxMs));
    }

    /** The value below which {@code q} of the samples fall, interpolated linearly inside its bucket. */
    static double percentile(TreeMap<Double, Double> cumulative, long count, double q, double maxMs) {
        double rank = q * count;
        double lowerBound = 0;
        double lowerCount = 0;
        for (var e : cumulative.entrySet()) {
            double upper = e.getKey();
            double c = e.getValue();
            if (c >= rank) {
                double inBucket = c - lowerCount;
                double fraction = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
                double value = lowerBound + (upper - lowerBound) * fraction;
                return maxMs > 0 ? Math.min(value, maxMs) : value;
            }
            lowerBound = upper;
            lowerCount = c;
        }
        return maxMs; // above the last bucket
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    record Stats(String timestamp, double uptimeSeconds, double windowSeconds, List<RouteStats> routes) {}

    record RouteStats(String route, long requests, double requestsPerSecond, long errors, double errorsPerSecond,
                      Latency latencyMs, List<BackendStats> backends) {}

    record BackendStats(String address, long responses, double responsesPerSecond, long errors,
                        double errorsPerSecond, int inFlight, Latency latencyMs) {}

    record Latency(double p50, double p99, double mean, double max) {}
}

package io.sluice.gateway.metrics;

import static io.sluice.gateway.metrics.GatewayMetricNames.BACKEND;
import static io.sluice.gateway.metrics.GatewayMetricNames.KIND;
import static io.sluice.gateway.metrics.GatewayMetricNames.METHOD;
import static io.sluice.gateway.metrics.GatewayMetricNames.ROUTE;
import static io.sluice.gateway.metrics.GatewayMetricNames.STATUS_CLASS;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's meters, in one {@link PrometheusMeterRegistry} that {@code /metrics} scrapes.
 *
 * <p>Construction binds the JVM, process and Netty allocator meters. The recording methods are
 * the proxy hot path's API: after the first call for a tag combination they do map lookups on the
 * (already hashed) strings and an array read, and allocate nothing. Tag values are bounded on the way in
 * (unknown methods become {@code OTHER}, unknown error kinds {@code other}, statuses collapse to their
 * class), so a misbehaving client cannot grow the registry; routes and backends come from configuration.
 *
 * <p>Thread-safe. Meters for routes or backends removed by a reload stay registered until the process
 * ends.
 */
public final class GatewayMetrics implements AutoCloseable {

    /** Latency buckets every histogram publishes in addition to Micrometer's percentile-histogram buckets. */
    static final Duration[] SLO_BUCKETS = {
        Duration.ofMillis(1),
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
    };

    private static final Duration MIN_EXPECTED = Duration.ofMillis(1);
    private static final Duration MAX_EXPECTED = Duration.ofSeconds(60);

    private static final String[] STATUS_CLASSES = {GatewayMetricNames.UNKNOWN, "1xx", "2xx", "3xx", "4xx", "5xx"};

    private static final String[] ERROR_KINDS = {
        GatewayMetricNames.KIND_CONNECT_REFUSED,
        GatewayMetricNames.KIND_CONNECT_TIMEOUT,
        GatewayMetricNames.KIND_READ_TIMEOUT,
        GatewayMetricNames.KIND_RESET,
        GatewayMetricNames.KIND_BAD_RESPONSE,
        GatewayMetricNames.KIND_POOL_TIMEOUT,
        GatewayMetricNames.OTHER,
    };

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gcMetrics;

    /** route -> method -> timer per status class (index as in STATUS_CLASSES). */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, AtomicReferenceArray<Timer>>> requests =
            new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Timer> upstreamResponses = new ConcurrentHashMap<>();
    /** backend -> counter per kind (index as in ERROR_KINDS). */
    private final ConcurrentHashMap<String, AtomicReferenceArray<Counter>> upstreamErrors = new ConcurrentHashMap<>();

    private final LongAdder activeConnections = new LongAdder();
    private final Counter openedConnections;

    /** A new Prometheus registry with the JVM, process and Netty allocator meters bound. */
    public GatewayMetrics() {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** Registers into {@code registry} (which this then owns and closes), binding the JVM, process and Netty meters. */
    private final ConcurrentHashMap<String, Counter> rejected = new ConcurrentHashMap<>();
    private volatile Timer queueWait;

    public GatewayMetrics(PrometheusMeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");

        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);

        // Netty 4.2 allocates through ByteBufAllocator.DEFAULT (adaptive unless io.netty.allocator.type says
        // otherwise); code that asks for PooledByteBufAllocator.DEFAULT explicitly gets a separate pool.
        ByteBufAllocator defaultAllocator = ByteBufAllocator.DEFAULT;
        if (defaultAllocator instanceof ByteBufAllocatorMetricProvider provider) {
            NettyAllocatorMetrics.of(provider).bindTo(registry);
        }
        if (defaultAllocator != PooledByteBufAllocator.DEFAULT) {
            NettyAllocatorMetrics.of(PooledByteBufAllocator.DEFAULT).bindTo(registry);
        }

        Gauge.builder(GatewayMetricNames.DOWNSTREAM_CONNECTIONS_ACTIVE, activeConnections, LongAdder::sum)
                .description("Open downstream (client) connections")
                .strongReference(true)
                .register(registry);
        openedConnections = Counter.builder(GatewayMetricNames.DOWNSTREAM_CONNECTIONS)
                .description("Downstream (client) connections accepted")
                .register(registry);
    }

    /** The registry {@code /metrics} scrapes; other components (e.g. the upstream pools) register here too. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * A downstream request finished (response written, or the exchange abandoned).
     *
     * @param route          the matched route's name, or {@code null} when none matched
     * @param method         the request method
     * @param status         the response status sent; anything outside 100..599 counts as {@code unknown}
     * @param durationNanos  from request head received to response written
     */
    public void requestCompleted(String route, String method, int status, long durationNanos) {
        String r = route == null ? GatewayMetricNames.UNMATCHED_ROUTE : route;
        String m = normalizeMethod(method);
        ConcurrentHashMap<String, AtomicReferenceArray<Timer>> byMethod = requests.get(r);
        if (byMethod == null) {
            byMethod = requests.computeIfAbsent(r, k -> new ConcurrentHashMap<>());
        }
        AtomicReferenceArray<Timer> byStatus = byMethod.get(m);
        if (byStatus == null) {
            byStatus = byMethod.computeIfAbsent(m, k -> new AtomicReferenceArray<>(STATUS_CLASSES.length));
        }
        int statusClass = statusClassIndex(status);
        Timer timer = byStatus.get(statusClass);
        if (timer == null) {
            // Racing threads both register; the registry returns the same meter to each.
            timer = latencyTimer(GatewayMetricNames.REQUESTS, "Downstream requests, head received to response written")
                    .tag(ROUTE, r)
                    .tag(METHOD, m)
                    .tag(STATUS_CLASS, STATUS_CLASSES[statusClass])
                    .register(registry);
            byStatus.set(statusClass, timer);
        }
        timer.record(durationNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * An upstream exchange got its response head.
     *
     * @param backend the backend's {@code host:port}
     * @param nanos   from request sent to response head received
     */
    public void upstreamResponded(String backend, long nanos) {
        Objects.requireNonNull(backend, "backend");
        Timer timer = upstreamResponses.get(backend);
        if (timer == null) {
            timer = upstreamResponses.computeIfAbsent(backend, b -> latencyTimer(
                            GatewayMetricNames.UPSTREAM_RESPONSE, "Upstream exchanges, request sent to response head")
                    .tag(BACKEND, b)
                    .register(registry));
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * An upstream exchange failed.
     *
     * @param backend the backend's {@code host:port}
     * @param kind    one of the {@code GatewayMetricNames.KIND_*} values; anything else counts as {@code other}
     */
    public void upstreamError(String backend, String kind) {
        Objects.requireNonNull(backend, "backend");
        AtomicReferenceArray<Counter> byKind = upstreamErrors.get(backend);
        if (byKind == null) {
            byKind = upstreamErrors.computeIfAbsent(backend, b -> new AtomicReferenceArray<>(ERROR_KINDS.length));
        }
        int k = errorKindIndex(kind);
        Counter counter = byKind.get(k);
        if (counter == null) {
            counter = Counter.builder(GatewayMetricNames.UPSTREAM_ERRORS)
                    .description("Failed upstream exchanges by cause")
                    .tag(BACKEND, backend)
                    .tag(KIND, ERROR_KINDS[k])
                    .register(registry);
            byKind.set(k, counter);
        }
        counter.increment();
    }

    private final ConcurrentHashMap<String, Counter> retries = new ConcurrentHashMap<>();

    /** An attempt was retried. */
    public void retried(String route, String reason) {
        retries.computeIfAbsent(route + "\u0000" + reason, k -> Counter.builder(GatewayMetricNames.RETRIES)
                .description("Upstream attempts tried again, by route and reason")
                .tag(ROUTE, route).tag("reason", reason).register(registry)).increment();
    }

    /** A hedge (second racing attempt) was sent on a route. */
    public void hedged(String route) {
        retries.computeIfAbsent(route + "\u0000hedge", k -> Counter.builder(GatewayMetricNames.HEDGES)
                .description("Hedged attempts sent: a second attempt of an idempotent request after the hedge delay")
                .tag(ROUTE, route).register(registry)).increment();
    }

    /** A hedge's response came first and was used. */
    public void hedgeWon(String route) {
        retries.computeIfAbsent(route + "\u0000hedge-won", k -> Counter.builder(GatewayMetricNames.HEDGES_WON)
                .description("Hedged attempts whose response came first (the other attempt was cancelled)")
                .tag(ROUTE, route).register(registry)).increment();
    }

    /** A request was refused by a route's rate limit. */
    public void rateLimited(String route, String scope) {
        retries.computeIfAbsent(route + "\u0000ratelimit\u0000" + scope, k -> Counter.builder("sluice.ratelimit.rejected")
                .description("Requests refused by a rate limit, by route and bucket scope")
                .tag(ROUTE, route).tag("scope", scope).register(registry)).increment();
    }

    /** A retry was not made because the route's budget was spent. */
    public void retryBudgetExhausted(String route) {
        retries.computeIfAbsent(route + "\u0000budget", k -> Counter.builder(GatewayMetricNames.RETRY_BUDGET_EXHAUSTED)
                .description("Retries refused by the retry budget").tag(ROUTE, route).register(registry)).increment();
    }

    /** A request was refused before routing, e.g. over {@code max_concurrent_streams}. */
    public void requestRejected(String reason) {
        Counter counter = rejected.get(reason);
        if (counter == null) {
            counter = rejected.computeIfAbsent(reason, r -> Counter.builder(GatewayMetricNames.REQUESTS_REJECTED)
                    .description("Requests refused before routing, by reason")
                    .tag("reason", r)
                    .register(registry));
        }
        counter.increment();
    }

    /** A request waited this long in the max_concurrent_streams queue before it got a slot. */
    public void queueWaited(long nanos) {
        Timer timer = queueWait;
        if (timer == null) {
            timer = queueWait = latencyTimer(GatewayMetricNames.REQUESTS_QUEUE_WAIT,
                    "Time admitted requests waited for a max_concurrent_streams slot").register(registry);
        }
        timer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Publishes the number of requests waiting for a slot, read when scraped. */
    public void bindQueueDepth(java.util.function.IntSupplier depth) {
        io.micrometer.core.instrument.Gauge.builder(GatewayMetricNames.REQUESTS_QUEUED, depth::getAsInt)
                .description("Requests waiting for a max_concurrent_streams slot")
                .register(registry);
    }

    /** A downstream connection was accepted. */
    public void downstreamConnectionOpened() {
        activeConnections.increment();
        openedConnections.increment();
    }

    /** A downstream connection closed; call exactly once per {@link #downstreamConnectionOpened()}. */
    public void downstreamConnectionClosed() {
        activeConnections.decrement();
    }

    /** Unhooks the GC listeners and closes the registry. */
    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }

    private static Timer.Builder latencyTimer(String name, String description) {
        return Timer.builder(name)
                .description(description)
                .publishPercentileHistogram()
                .serviceLevelObjectives(SLO_BUCKETS)
                .minimumExpectedValue(MIN_EXPECTED)
                .maximumExpectedValue(MAX_EXPECTED);
    }

    static int statusClassIndex(int status) {
        return status >= 100 && status <= 599 ? status / 100 : 0;
    }

    static String normalizeMethod(String method) {
        if (method == null) {
            return "OTHER";
        }
        return switch (method) {
            case "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH" -> method;
            default -> "OTHER";
        };
    }

    private static int errorKindIndex(String kind) {
        if (kind == null) {
            return ERROR_KINDS.length - 1;
        }
        return switch (kind) {
            case GatewayMetricNames.KIND_CONNECT_REFUSED -> 0;
            case GatewayMetricNames.KIND_CONNECT_TIMEOUT -> 1;
            case GatewayMetricNames.KIND_READ_TIMEOUT -> 2;
            case GatewayMetricNames.KIND_RESET -> 3;
            case GatewayMetricNames.KIND_BAD_RESPONSE -> 4;
            case GatewayMetricNames.KIND_POOL_TIMEOUT -> 5;
            default -> ERROR_KINDS.length - 1;
        };
    }
}

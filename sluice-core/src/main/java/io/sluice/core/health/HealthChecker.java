package io.sluice.core.health;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.core.config.BackendConfig;
import io.sluice.core.config.HealthCheckConfig;
import io.sluice.core.config.RouteConfig;
import io.sluice.core.health.internal.Check;
import io.sluice.core.health.internal.CheckResult;
import io.sluice.core.health.internal.CheckTarget;
import io.sluice.core.health.internal.CustomCheck;
import io.sluice.core.health.internal.HealthMetrics;
import io.sluice.core.health.internal.HealthStateMachine;
import io.sluice.core.health.internal.HttpCheck;
import io.sluice.core.health.internal.Jitter;
import io.sluice.core.health.internal.Listeners;
import io.sluice.core.health.internal.TcpCheck;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks: probes every watched backend on its own jittered schedule and keeps its state
 * (HAProxy's {@code check inter/rise/fall}; Envoy's active health checking).
 *
 * <p>Design: checks run on a small pool of worker threads ({@code health_checks.workers}, default 3), never on
 * an event loop that serves requests; the http and tcp checks are non-blocking Netty clients whose results
 * hop back to a worker, the custom check blocks its worker for at most the timeout. A backend's next check is
 * scheduled when its previous one finishes, so checks of one backend never overlap however slow it is.
 * Each result feeds a {@link HealthStateMachine}; a change is logged once at INFO, counted in
 * {@code sluice.backend.health.transitions}, shown in the {@code sluice.backend.up} gauge and sent to the
 * {@link HealthListener}s.
 *
 * <p>Backends are identified by {@code host:port}, like upstream pools: a backend named by several routes is
 * checked once, with the first of those routes whose checks are enabled deciding how.
 *
 * <pre>{@code
 * HealthChecker checker = HealthChecker.builder()
 *         .workers(config.healthChecks().workers())
 *         .eventLoops(workerGroup, transport.socketChannel())
 *         .meterRegistry(registry)
 *         .build();
 * checker.addListener((backend, healthy, reason) -> rebuildBalancers());
 * checker.watchAll(config.routes());
 * ...
 * checker.isHealthy("10.0.0.7:8080");
 * checker.close();
 * }</pre>
 */
public final class HealthChecker implements HealthStatus, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);

    private final ScheduledThreadPoolExecutor workers;
    private final EventLoopGroup ownGroup; // null when the caller's loops are used
    private final Map<HealthCheckConfig.CheckType, Check> checks;
    private final RandomGenerator random;
    private final HealthMetrics metrics;
    private final Listeners listeners = new Listeners();
    private final Map<String, Watched> watched = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private HealthChecker(Builder b) {
        this.workers = new ScheduledThreadPoolExecutor(b.workers, new DefaultThreadFactory("sluice-health", true));
        this.workers.setRemoveOnCancelPolicy(true);
        EventLoopGroup group = b.group;
        Class<? extends Channel> channelType = b.channelType;
        if (group == null) {
            group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("sluice-health-io", true),
                    NioIoHandler.newFactory());
            channelType = NioSocketChannel.class;
            ownGroup = group;
        } else {
            ownGroup = null;
        }
        this.checks = Map.of(
                HealthCheckConfig.CheckType.HTTP, new HttpCheck(group, channelType),
                HealthCheckConfig.CheckType.TCP, new TcpCheck(group, channelType),
                HealthCheckConfig.CheckType.CUSTOM, new CustomCheck());
        this.random = b.random;
        this.metrics = new HealthMetrics(b.registry);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Hears every state change from now on. Add listeners before {@link #watchAll} to miss nothing. */
    public void addListener(HealthListener listener) {
        listeners.add(listener);
    }

    /**
     * Watches every backend of every route with that route's {@code health_checks}; a backend already watched,
     * or whose route has checks disabled, is skipped (it stays healthy unless another route checks it).
     */
    public void watchAll(List<RouteConfig> routes) {
        for (RouteConfig route : routes) {
            for (BackendConfig backend : route.backends()) {
                watch(backend, route.healthChecks());
            }
        }
    }

    /**
     * Starts checking {@code backend} with {@code config}, the first check within 10 % of the interval.
     * Returns false, doing nothing, when checks are disabled in {@code config} or the backend is already watched.
     */
    public boolean watch(BackendConfig backend, HealthCheckConfig config) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(config, "config");
        if (!config.enabled() || closed) {
            return false;
        }
        String address = backend.address();
        Watched w = new Watched(new CheckTarget(address, backend.host(), backend.port(), config));
        synchronized (watched) {
            if (watched.containsKey(address)) {
                return false;
            }
            w.transitions = metrics.register(address, w.state::isHealthy);
            watched.put(address, w);
        }
        schedule(w, Jitter.firstDelayNanos(config.interval(), random));
        return true;
    }

    /**
     * Stops checking {@code backend} ({@code host:port}), e.g. after it was removed at runtime; it counts as
     * healthy from now on. Returns false when it was not watched.
     */
    public boolean unwatch(String backend) {
        Watched w;
        synchronized (watched) {
            w = watched.remove(backend);
        }
        if (w == null) {
            return false;
        }
        metrics.unregister(backend);
        return true;
    }

    /** False only while checks find {@code backend} ({@code host:port}) down; unwatched backends are healthy. */
    @Override
    public boolean isHealthy(String backend) {
        Watched w = watched.get(backend);
        return w == null || w.state.isHealthy();
    }

    /** The last check's outcome for {@code backend}, e.g. {@code HTTP 503 (expected 200-399)}; empty before one. */
    public Optional<String> lastResult(String backend) {
        Watched w = watched.get(backend);
        return w == null ? Optional.empty() : Optional.ofNullable(w.lastDetail);
    }

    /**
     * Runs one check of a watched backend now, outside its schedule, and completes with its health afterwards:
     * for an operator's "check now" and for tests, which step checks instead of waiting for intervals.
     */
    public CompletableFuture<Boolean> checkNow(String backend) {
        Watched w = watched.get(backend);
        if (w == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not watched: " + backend));
        }
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        try {
            workers.execute(() -> run(w).whenComplete((healthy, e) -> {
                if (e != null) {
                    done.completeExceptionally(e);
                } else {
                    done.complete(healthy);
                }
            }));
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    private void schedule(Watched w, long delayNanos) {
        if (closed || watched.get(w.target.address()) != w) {
            return;
        }
        try {
            workers.schedule(() -> run(w).whenComplete((healthy, e) ->
                    schedule(w, Jitter.nextDelayNanos(w.target.config().interval(), random))),
                    delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closing: nothing more to check
        }
    }

    /** One check, its result applied on a worker thread. */
    private CompletableFuture<Boolean> run(Watched w) {
        CompletableFuture<CheckResult> probe;
        try {
            probe = checks.get(w.target.config().checkType()).run(w.target);
        } catch (RuntimeException e) {
            probe = CompletableFuture.completedFuture(CheckResult.failed("check failed: " + e));
        }
        return probe.handleAsync((result, e) -> {
            apply(w, result != null ? result : CheckResult.failed("check failed: " + e));
            return w.state.isHealthy();
        }, workers);
    }

    private void apply(Watched w, CheckResult result) {
        if (closed || watched.get(w.target.address()) != w) {
            return;
        }
        boolean was = w.state.isHealthy();
        w.lastDetail = result.detail();
        if (!w.state.record(result.healthy())) {
            return;
        }
        boolean now = !was;
        int count = w.state.thresholdFor(now);
        String reason = count + " consecutive " + (now ? "successes" : "failures") + ", last: " + result.detail();
        log.info("Backend {} {} -> {}: {}", w.target.address(), word(was), word(now), reason);
        w.transitions.record(now);
        listeners.fire(w.target.address(), now, reason);
    }

    private static String word(boolean healthy) {
        return healthy ? "healthy" : "unhealthy";
    }

    /** Stops all checks, removes the meters and, if it made its own, shuts its event loop down. */
    @Override
    public void close() {
        closed = true;
        workers.shutdownNow();
        metrics.close();
        watched.clear();
        if (ownGroup != null) {
            ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static final class Watched {
        final CheckTarget target;
        final HealthStateMachine state;
        volatile String lastDetail;
        HealthMetrics.Transitions transitions;

        Watched(CheckTarget target) {
            this.target = target;
            this.state = new HealthStateMachine(
                    target.config().unhealthyThreshold(), target.config().healthyThreshold());
        }
    }

    /** Builds a {@link HealthChecker}; every setting has a default. */
    public static final class Builder {
        private int workers = HealthCheckConfig.defaults().workers();
        private EventLoopGroup group;
        private Class<? extends Channel> channelType;
        private MeterRegistry registry;
        private RandomGenerator random = ThreadLocalRandom.current(); // safe from any thread

        private Builder() {}

        /** Threads that run checks and apply results ({@code health_checks.workers}, default 3). */
        public Builder workers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1, got " + workers);
            }
            this.workers = workers;
            return this;
        }

        /**
         * Event loops for the http and tcp checks' connections and the channel class that matches them (the
         * gateway's transport). Never shut down by the checker. Default: one NIO loop of the checker's own.
         */
        public Builder eventLoops(EventLoopGroup group, Class<? extends Channel> channelType) {
            this.group = Objects.requireNonNull(group, "group");
            this.channelType = Objects.requireNonNull(channelType, "channelType");
            return this;
        }

        /** Where {@code sluice.backend.up} and the transition counters go; none by default. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** The jitter's source; tests pass a seeded one. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        public HealthChecker build() {
            return new HealthChecker(this);
        }
    }
}

package io.sluice.core.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.sluice.core.config.OutlierConfig;
import io.sluice.core.health.internal.Listeners;
import io.sluice.core.metrics.MetricNames;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive health for one route: ejects a backend whose exchanges fail {@code consecutive_failures} times in a
 * row, following Envoy's outlier detection (consecutive-5xx detector, ejection time, max ejection percent).
 *
 * <p>Design: {@link #recordSuccess} and {@link #recordFailure} run on event loops after every exchange, so
 * they touch one atomic counter and take no lock; only the failure that reaches the threshold takes the
 * detector's lock to decide an ejection. An ejection lasts {@code base_ejection_time × n}, where n counts this
 * backend's ejections, at most {@code max_ejection_time} (Envoy); n decays by one per base ejection time the
 * backend then stays in, so a backend that failed once last week starts again from the base. An ejection
 * that would leave more than {@code max_ejection_percent} of the route's backends ejected is refused: passive
 * detection must not empty a route because, say, a shared dependency failed everywhere at once.
 *
 * <p>Ejection ends by time alone, with no probe: {@link #isEjected(String, long)} answers from the deadline
 * (lazily), and a task on the injected {@link Scheduler} tells the {@link HealthListener}s when it passes.
 * Consecutive failures count from zero again after an ejection.
 *
 * <p>References: Envoy, "Outlier detection" (architecture overview) and {@code OutlierDetection} proto;
 * HAProxy's {@code observe layer7} with {@code error-limit} / {@code on-error mark-down} is the same idea.
 */
public final class OutlierDetector {

    private static final Logger log = LoggerFactory.getLogger(OutlierDetector.class);

    private static final OutlierDetector DISABLED = new OutlierDetector();

    private final String route;
    private final int threshold;
    private final long baseNanos;
    private final long maxNanos;
    private final int maxEjectionPercent;
    private final Map<String, State> states; // fixed at build: lock-free reads
    private final LongSupplier ticker;
    private final Scheduler scheduler;
    private final MeterRegistry registry;
    private final Listeners listeners = new Listeners();
    private final Object lock = new Object();

    private OutlierDetector() {
        route = "";
        threshold = Integer.MAX_VALUE;
        baseNanos = maxNanos = 0;
        maxEjectionPercent = 0;
        states = Map.of();
        ticker = () -> 0;
        scheduler = (task, delay) -> { };
        registry = null;
    }

    private OutlierDetector(Builder b) {
        this.route = b.route;
        this.threshold = b.config.consecutiveFailures();
        this.baseNanos = b.config.baseEjectionTime().toNanos();
        this.maxNanos = b.config.maxEjectionTime().toNanos();
        this.maxEjectionPercent = b.config.maxEjectionPercent();
        this.ticker = b.ticker;
        this.scheduler = b.scheduler;
        this.registry = b.registry;
        Map<String, State> map = new LinkedHashMap<>();
        for (String backend : b.backends) {
            map.put(backend, new State(backend, counter(backend)));
        }
        this.states = Map.copyOf(map);
    }

    /** A detector that never ejects: for routes without {@code outlier_detection}. */
    public static OutlierDetector disabled() {
        return DISABLED;
    }

    /**
     * For route {@code route} with settings {@code config} over its backends' {@code host:port}s; the set is
     * fixed: a route whose backends change gets a new detector.
     */
    public static Builder builder(String route, OutlierConfig config, Collection<String> backends) {
        return new Builder(route, config, backends);
    }

    public void addListener(HealthListener listener) {
        listeners.add(listener);
    }

    /** An exchange with {@code backend} succeeded: its run of failures ends. Unknown backends are ignored. */
    public void recordSuccess(String backend) {
        State s = states.get(backend);
        if (s != null && s.failures.get() != 0) { // read first: most calls then write nothing
            s.failures.set(0);
        }
    }

    /** An exchange with {@code backend} failed to connect or got a 5xx. Unknown backends are ignored. */
    public void recordFailure(String backend) {
        State s = states.get(backend);
        if (s != null && s.failures.incrementAndGet() >= threshold && !s.ejected) {
            tryEject(s);
        }
    }

    /** True while {@code backend} is ejected; unknown backends never are. */
    public boolean isEjected(String backend) {
        return isEjected(backend, ticker.getAsLong());
    }

    /** As {@link #isEjected(String)} at {@code nowNanos} on this detector's ticker. */
    public boolean isEjected(String backend, long nowNanos) {
        State s = states.get(backend);
        return s != null && s.ejected && nowNanos - s.ejectedUntil < 0;
    }

    /** How many times {@code backend} has been ejected, after decay; 0 for unknown backends. */
    public int timesEjected(String backend) {
        State s = states.get(backend);
        synchronized (lock) {
            return s == null ? 0 : s.timesEjected;
        }
    }

    private void tryEject(State s) {
        String reason;
        long duration;
        synchronized (lock) {
            long now = ticker.getAsLong();
            if (s.ejected || s.failures.get() < threshold) {
                return; // another thread ejected it, or a success came in between
            }
            int ejected = 0;
            for (State other : states.values()) {
                if (other.ejected && now - other.ejectedUntil < 0) {
                    ejected++;
                }
            }
            if ((ejected + 1) * 100L > (long) maxEjectionPercent * states.size()) {
                log.debug("Route {}: not ejecting {} after {} consecutive failures: {} of {} backends already"
                        + " ejected (max_ejection_percent {})", route, s.backend, s.failures.get(), ejected,
                        states.size(), maxEjectionPercent);
                return;
            }
            if (s.timesEjected > 0 && baseNanos > 0) {
                long decay = (now - s.restoredAt) / baseNanos;
                s.timesEjected = (int) Math.max(0, s.timesEjected - decay);
            }
            s.timesEjected++;
            duration = Math.min(maxNanos, baseNanos * s.timesEjected);
            s.ejectedUntil = now + duration;
            s.ejected = true;
            reason = "ejected for " + Duration.ofNanos(duration).toMillis() + "ms after " + s.failures.get()
                    + " consecutive failures (ejection " + s.timesEjected + ")";
            s.failures.set(0);
        }
        log.info("Route {}: backend {} {}", route, s.backend, reason);
        if (s.ejections != null) {
            s.ejections.increment();
        }
        scheduler.schedule(() -> restoreIfDue(s), duration);
        listeners.fire(s.backend, false, reason);
    }

    private void restoreIfDue(State s) {
        try {
            long remaining;
            String reason;
            synchronized (lock) {
                long now = ticker.getAsLong();
                if (!s.ejected) {
                    return;
                }
                remaining = s.ejectedUntil - now;
                if (remaining <= 0) {
                    s.ejected = false;
                    s.restoredAt = now;
                    s.failures.set(0);
                }
                reason = "ejection ended after " + Duration.ofNanos(Math.min(maxNanos, baseNanos * s.timesEjected))
                        .toMillis() + "ms";
            }
            if (remaining > 0) {
                scheduler.schedule(() -> restoreIfDue(s), remaining); // the scheduler ran early
                return;
            }
            log.info("Route {}: backend {} {}", route, s.backend, reason);
            listeners.fire(s.backend, true, reason);
        } catch (RuntimeException e) {
            log.warn("Route {}: restoring backend {} failed", route, s.backend, e);
        }
    }

    private Counter counter(String backend) {
        if (registry == null) {
            return null;
        }
        return Counter.builder(MetricNames.BACKEND_EJECTIONS)
                .description("Backends ejected by outlier detection")
                .tag(MetricNames.TAG_ROUTE, route)
                .tag(MetricNames.TAG_BACKEND, backend)
                .register(registry);
    }

    private static final class State {
        final String backend;
        final Counter ejections;
        final AtomicInteger failures = new AtomicInteger();
        volatile boolean ejected;
        volatile long ejectedUntil;
        int timesEjected; // under lock
        long restoredAt;  // under lock

        State(String backend, Counter ejections) {
            this.backend = backend;
            this.ejections = ejections;
        }
    }

    /** Builds an {@link OutlierDetector}; start with {@link OutlierDetector#builder}. */
    public static final class Builder {
        private final String route;
        private final OutlierConfig config;
        private final List<String> backends;
        private LongSupplier ticker = System::nanoTime;
        private Scheduler scheduler = Scheduler.of(GlobalEventExecutor.INSTANCE);
        private MeterRegistry registry;

        private Builder(String route, OutlierConfig config, Collection<String> backends) {
            this.route = Objects.requireNonNull(route, "route");
            this.config = Objects.requireNonNull(config, "config");
            this.backends = List.copyOf(backends);
        }

        /** The clock, in nanoseconds ({@link System#nanoTime()} by default); tests pass one they advance. */
        public Builder ticker(LongSupplier nanoTime) {
            this.ticker = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        /** Runs the end-of-ejection notices; Netty's {@code GlobalEventExecutor} by default. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Where {@code sluice.backend.ejections} goes; none by default. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        public OutlierDetector build() {
            return new OutlierDetector(this);
        }
    }
}

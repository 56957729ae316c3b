package io.sluice.bench.load;

import io.sluice.bench.load.BenchResult.Second;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs one load test from start to summary. */
public final class LoadGenerator {

    /** Extra time given to requests still in flight when sending stops, beyond {@code --timeout}. */
    private static final long DRAIN_SLACK_NANOS = TimeUnit.SECONDS.toNanos(2);

    private LoadGenerator() {}

    /**
     * Runs {@code options} and returns its figures; {@code onSecond} sees each second of measurement as it ends
     * (on the collector thread). Blocks for warm-up + duration (or until {@code -n} requests are done).
     */
    public static BenchResult run(LoadOptions options, Consumer<Second> onSecond) throws InterruptedException {
        try (RequestTemplate template = RequestTemplate.of(options);
             Engine engine = Engine.of(options, template)) {
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            RunControl run = new RunControl(options, start);
            Collector collector = new Collector(engine.probes(), run);
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sluice-bench-collector");
                t.setDaemon(true);
                return t;
            });
            try {
                long firstTick = Math.max(0, run.measureStartNanos() + TimeUnit.SECONDS.toNanos(1) - System.nanoTime());
                ticker.scheduleAtFixedRate(() -> {
                    Second s = collector.tick(System.nanoTime());
                    if (s != null && !run.finished()) {
                        onSecond.accept(s);
                    }
                }, firstTick, TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
                engine.start(run);
                awaitEnd(options, run);
            } finally {
                ticker.shutdownNow();
                ticker.awaitTermination(5, TimeUnit.SECONDS);
            }
            long end = System.nanoTime();
            collector.tick(end);
            return collector.result(setup(options), end);
        }
    }

    private static void awaitEnd(LoadOptions o, RunControl run) throws InterruptedException {
        long grace = o.timeout().toNanos() + DRAIN_SLACK_NANOS;
        if (run.endNanos() == Long.MAX_VALUE) {
            run.awaitLanes(Long.MAX_VALUE, TimeUnit.NANOSECONDS); // -n: every request ends within --timeout
            return;
        }
        long deadline = run.endNanos() + grace;
        if (!run.awaitLanes(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            run.abort();
        }
    }

    static BenchResult.Setup setup(LoadOptions o) {
        return new BenchResult.Setup(o.url().toString(), o.method(), o.openModel() ? "open" : "closed", o.rate(),
                o.connections(), o.threads(), o.http2() ? "HTTP/2" : "HTTP/1.1", o.streams(),
                o.duration() == null ? null : o.duration().toMillis() / 1000.0,
                o.requests() > 0 ? o.requests() : null, o.warmup().toMillis() / 1000.0,
                o.engine().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    }
}

package io.sluice.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.core.config.OutlierConfig;
import io.sluice.core.metrics.MetricNames;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Ejection on a fake clock: no sleeping, every duration exact. */
class OutlierDetectorTest {

    private static final OutlierConfig CONFIG =
            new OutlierConfig(5, Duration.ofSeconds(30), Duration.ofSeconds(300), 50);

    private final ManualClock clock = new ManualClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> events = new CopyOnWriteArrayList<>();

    private OutlierDetector detector(OutlierConfig config, String... backends) {
        OutlierDetector d = OutlierDetector.builder("api", config, List.of(backends))
                .ticker(clock).scheduler(clock).meterRegistry(registry).build();
        d.addListener((backend, healthy, reason) -> events.add(backend + " " + healthy + " " + reason));
        return d;
    }

    private static void fail(OutlierDetector d, String backend, int times) {
        for (int i = 0; i < times; i++) {
            d.recordFailure(backend);
        }
    }

    @Test
    void ejectsAfterConsecutiveFailuresOnly() {
        OutlierDetector d = detector(CONFIG, "a:1", "b:2");
        fail(d, "a:1", 4);
        d.recordSuccess("a:1");
        fail(d, "a:1", 4);
        assertThat(d.isEjected("a:1")).isFalse();
        d.recordFailure("a:1");
        assertThat(d.isEjected("a:1")).isTrue();
        assertThat(events).containsExactly("a:1 false ejected for 30000ms after 5 consecutive failures (ejection 1)");
        assertThat(registry.get(MetricNames.BACKEND_EJECTIONS).tag(MetricNames.TAG_ROUTE, "api")
                .tag(MetricNames.TAG_BACKEND, "a:1").counter().count()).isEqualTo(1);
    }

    @Test
    void unejectsWhenTheTimePassesAndTellsListeners() {
        OutlierDetector d = detector(CONFIG, "a:1", "b:2");
        fail(d, "a:1", 5);
        clock.advance(Duration.ofSeconds(29));
        assertThat(d.isEjected("a:1")).isTrue();
        assertThat(d.isEjected("a:1", clock.getAsLong() + Duration.ofSeconds(1).toNanos())).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(d.isEjected("a:1")).isFalse();
        assertThat(events).last().isEqualTo("a:1 true ejection ended after 30000ms");
    }

    @Test
    void eachEjectionLastsLongerUpToTheMaximum() {
        OutlierDetector d = detector(new OutlierConfig(1, Duration.ofSeconds(30), Duration.ofSeconds(75), 50),
                "a:1", "b:2");
        d.recordFailure("a:1");
        clock.advance(Duration.ofSeconds(30));
        assertThat(d.isEjected("a:1")).isFalse();

        d.recordFailure("a:1"); // straight away: no decay, so the second ejection is twice the base
        clock.advance(Duration.ofSeconds(59));
        assertThat(d.isEjected("a:1")).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(d.isEjected("a:1")).isFalse();

        d.recordFailure("a:1"); // 3 × 30 s capped at 75 s
        clock.advance(Duration.ofSeconds(74));
        assertThat(d.isEjected("a:1")).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(d.isEjected("a:1")).isFalse();
        assertThat(events).filteredOn(e -> e.contains("false")).containsExactly(
                "a:1 false ejected for 30000ms after 1 consecutive failures (ejection 1)",
                "a:1 false ejected for 60000ms after 1 consecutive failures (ejection 2)",
                "a:1 false ejected for 75000ms after 1 consecutive failures (ejection 3)");
    }

    @Test
    void multiplierDecaysWhileTheBackendStaysIn() {
        OutlierDetector d = detector(new OutlierConfig(1, Duration.ofSeconds(30), Duration.ofSeconds(300), 50),
                "a:1", "b:2");
        d.recordFailure("a:1");
        clock.advance(Duration.ofSeconds(30));
        d.recordFailure("a:1");
        clock.advance(Duration.ofSeconds(60));
        assertThat(d.timesEjected("a:1")).isEqualTo(2);
        clock.advance(Duration.ofSeconds(60)); // two base times healthy: back to the start
        d.recordFailure("a:1");
        assertThat(events).last().isEqualTo("a:1 false ejected for 30000ms after 1 consecutive failures (ejection 1)");
    }

    @Test
    void neverEjectsMoreThanMaxEjectionPercentOfTheRoute() {
        OutlierDetector d = detector(CONFIG, "a:1", "b:2", "c:3", "d:4");
        fail(d, "a:1", 5);
        fail(d, "b:2", 5);
        fail(d, "c:3", 5);
        assertThat(d.isEjected("a:1")).isTrue();
        assertThat(d.isEjected("b:2")).isTrue();
        assertThat(d.isEjected("c:3")).as("a third of four would pass 50 %").isFalse();

        clock.advance(Duration.ofSeconds(30)); // a and b return; c's failures keep counting and now eject it
        d.recordFailure("c:3");
        assertThat(d.isEjected("c:3")).isTrue();
    }

    @Test
    void aSingleBackendRouteIsNeverEjectedBelowHundredPercent() {
        OutlierDetector d = detector(CONFIG, "a:1");
        fail(d, "a:1", 50);
        assertThat(d.isEjected("a:1")).isFalse();
    }

    @Test
    void unknownBackendsAndTheDisabledDetectorNeverEject() {
        OutlierDetector d = detector(CONFIG, "a:1");
        fail(d, "z:9", 10);
        assertThat(d.isEjected("z:9")).isFalse();
        fail(OutlierDetector.disabled(), "a:1", 1000);
        assertThat(OutlierDetector.disabled().isEjected("a:1")).isFalse();
    }
}

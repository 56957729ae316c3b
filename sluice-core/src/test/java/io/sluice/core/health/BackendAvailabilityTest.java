package io.sluice.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.OutlierConfig;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class BackendAvailabilityTest {

    private final Set<String> down = ConcurrentHashMap.newKeySet();
    private final HealthStatus active = backend -> !down.contains(backend);
    private final List<String> backends = List.of("a:1", "b:2");

    @Test
    void selectsBackendsThatAreHealthyAndNotEjected() {
        ManualClock clock = new ManualClock();
        OutlierDetector passive = OutlierDetector.builder("r", new OutlierConfig(1, Duration.ofSeconds(30),
                Duration.ofSeconds(30), 100), backends).ticker(clock).scheduler(clock).build();
        BackendAvailability availability = BackendAvailability.of(active, passive, false);

        assertThat(availability.select(backends, Function.identity()))
                .isEqualTo(new BackendAvailability.Selection<>(backends, false));
        down.add("a:1");
        passive.recordFailure("b:2");
        assertThat(availability.isUsable("a:1")).isFalse();
        assertThat(availability.isUsable("b:2")).isFalse();
        assertThat(availability.select(backends, Function.identity()).unavailable()).isTrue();
        clock.advance(Duration.ofSeconds(30));
        assertThat(availability.select(backends, Function.identity()).backends()).containsExactly("b:2");
    }

    @Test
    void everyBackendDownAnswers503ByDefault() {
        down.addAll(backends);
        BackendAvailability.Selection<String> s =
                BackendAvailability.of(active, OutlierDetector.disabled(), false).select(backends, Function.identity());
        assertThat(s.unavailable()).isTrue();
        assertThat(s.panic()).isFalse();
    }

    @Test
    void everyBackendDownWithPanicRoutingUsesThemAll() {
        down.addAll(backends);
        BackendAvailability.Selection<String> s =
                BackendAvailability.of(active, OutlierDetector.disabled(), true).select(backends, Function.identity());
        assertThat(s.backends()).containsExactlyElementsOf(backends);
        assertThat(s.panic()).isTrue();
    }

    @Test
    void panicRoutingStaysOffWhileAnyBackendIsUsable() {
        down.add("a:1");
        BackendAvailability.Selection<String> s =
                BackendAvailability.of(active, OutlierDetector.disabled(), true).select(backends, Function.identity());
        assertThat(s).isEqualTo(new BackendAvailability.Selection<>(List.of("b:2"), false));
    }
}

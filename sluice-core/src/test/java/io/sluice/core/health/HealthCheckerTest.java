package io.sluice.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.core.config.BackendConfig;
import io.sluice.core.config.HealthCheckConfig;
import io.sluice.core.config.HealthCheckConfig.CheckType;
import io.sluice.core.config.HealthCheckConfig.StatusRange;
import io.sluice.core.metrics.MetricNames;
import io.sluice.testing.LoopbackTcpServer;
import io.sluice.testing.TestBackend;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Checks against real loopback servers. Checks are stepped with {@code checkNow} (the interval is an hour),
 * so thresholds are counted exactly instead of waited for.
 */
class HealthCheckerTest {

    private static final Duration NEVER = Duration.ofHours(1);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HealthChecker checker = HealthChecker.builder().workers(2).meterRegistry(registry).build();
    private final List<String> events = new CopyOnWriteArrayList<>();

    {
        checker.addListener((backend, healthy, reason) -> events.add(backend + " " + healthy + " " + reason));
    }

    @AfterEach
    void close() {
        checker.close();
    }

    private static HealthCheckConfig config(CheckType type, Duration interval, String body, List<String> command) {
        return new HealthCheckConfig(true, 2, interval, Duration.ofSeconds(2), 3, 2, type, "/health",
                List.of(new StatusRange(200, 399)), Optional.ofNullable(body), Optional.empty(), command);
    }

    private boolean step(String backend) throws Exception {
        return checker.checkNow(backend).get(10, TimeUnit.SECONDS);
    }

    private void assertDownAfterThreeFailuresAndUpAfterTwoSuccesses(String backend, Runnable breakIt, Runnable fixIt)
            throws Exception {
        assertThat(checker.isHealthy(backend)).isTrue();
        breakIt.run();
        assertThat(step(backend)).isTrue();
        assertThat(step(backend)).isTrue();
        assertThat(step(backend)).isFalse();
        assertThat(checker.isHealthy(backend)).isFalse();
        fixIt.run();
        assertThat(step(backend)).isFalse();
        assertThat(step(backend)).isTrue();
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).startsWith(backend + " false 3 consecutive failures, last: ");
        assertThat(events.get(1)).startsWith(backend + " true 2 consecutive successes, last: ");
    }

    @Test
    void httpCheckGoesDownAfterThreeBadStatusesAndUpAfterTwoGoodOnes() throws Exception {
        try (HealthEndpoint endpoint = new HealthEndpoint()) {
            BackendConfig backend = new BackendConfig("127.0.0.1", endpoint.port(), 100, 5);
            checker.watch(backend, config(CheckType.HTTP, NEVER, null, List.of()));
            assertDownAfterThreeFailuresAndUpAfterTwoSuccesses(backend.address(),
                    () -> endpoint.status = 503, () -> endpoint.status = 204);
            assertThat(events.get(0)).endsWith("HTTP 503 (expected 200-399)");
            assertThat(endpoint.lastHost).isEqualTo(backend.address());
        }
    }

    @Test
    void anUnwatchedBackendIsHealthyAgainAndLosesItsMeters() throws Exception {
        try (HealthEndpoint endpoint = new HealthEndpoint()) {
            BackendConfig backend = new BackendConfig("127.0.0.1", endpoint.port(), 100, 5);
            HealthCheckConfig config = config(CheckType.HTTP, NEVER, null, List.of());
            checker.watch(backend, config);
            endpoint.status = 503;
            step(backend.address());
            step(backend.address());
            step(backend.address());
            assertThat(checker.isHealthy(backend.address())).isFalse();
            assertThat(registry.find("sluice.backend.up").tag("backend", backend.address()).gauge()).isNotNull();

            assertThat(checker.unwatch(backend.address())).isTrue();
            assertThat(checker.isHealthy(backend.address())).isTrue();
            assertThat(checker.lastResult(backend.address())).isEmpty();
            assertThat(registry.find("sluice.backend.up").tag("backend", backend.address()).gauge()).isNull();
            assertThat(checker.unwatch(backend.address())).isFalse();
            assertThat(checker.watch(backend, config)).isTrue(); // a backend added back is watched afresh
        }
    }

    @Test
    void httpCheckPassesAgainstTheSharedTestBackend() throws Exception {
        try (TestBackend backend = TestBackend.start("b1")) {
            BackendConfig config = new BackendConfig("127.0.0.1", backend.port(), 100, 5);
            checker.watch(config, config(CheckType.HTTP, NEVER, "ok", List.of()));
            step(config.address());
            assertThat(checker.lastResult(config.address())).contains("HTTP 200, body contains \"ok\"");
        }
    }

    @Test
    void httpCheckRequiresTheExpectedBodySubstring() throws Exception {
        try (HealthEndpoint endpoint = new HealthEndpoint()) {
            BackendConfig backend = new BackendConfig("127.0.0.1", endpoint.port(), 100, 5);
            checker.watch(backend, config(CheckType.HTTP, NEVER, "ok", List.of()));
            endpoint.body = "status: ok";
            step(backend.address());
            assertThat(checker.lastResult(backend.address())).contains("HTTP 200, body contains \"ok\"");
            endpoint.body = "status: degraded";
            step(backend.address());
            assertThat(checker.lastResult(backend.address())).contains("HTTP 200, body lacks \"ok\"");
        }
    }

    @Test
    void silentBackendTimesOutAndCountsAsFailure() throws Exception {
        try (HealthEndpoint endpoint = new HealthEndpoint()) {
            endpoint.silent = true;
            BackendConfig backend = new BackendConfig("127.0.0.1", endpoint.port(), 100, 5);
            HealthCheckConfig c = new HealthCheckConfig(true, 2, NEVER, Duration.ofMillis(200), 1, 1, CheckType.HTTP,
                    "/health", List.of(new StatusRange(200, 200)), Optional.empty(), Optional.empty(), List.of());
            checker.watch(backend, c);
            assertThat(step(backend.address())).isFalse();
            assertThat(checker.lastResult(backend.address())).contains("timed out after 200ms");
        }
    }

    @Test
    void tcpCheckFollowsTheListenerGoingAwayAndComingBack() throws Exception {
        LoopbackTcpServer server = LoopbackTcpServer.start();
        int port = server.port();
        BackendConfig backend = new BackendConfig("127.0.0.1", port, 100, 5);
        checker.watch(backend, config(CheckType.TCP, NEVER, null, List.of()));
        ServerSocket[] again = new ServerSocket[1];
        try {
            assertDownAfterThreeFailuresAndUpAfterTwoSuccesses(backend.address(), server::close, () -> {
                try {
                    again[0] = new ServerSocket();
                    again[0].setReuseAddress(true);
                    again[0].bind(new InetSocketAddress("127.0.0.1", port));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(events.get(0)).contains("connect failed");
        } finally {
            server.close();
            if (again[0] != null) {
                again[0].close();
            }
        }
    }

    @Test
    void customCheckUsesTheExitCodeWithPlaceholdersSubstituted() throws Exception {
        BackendConfig backend = new BackendConfig("127.0.0.1", 4242, 100, 5);
        java.nio.file.Path flag = java.nio.file.Files.createTempFile("sluice-health", ".flag");
        try {
            // Healthy while the flag file holds "{host}:{port}" as substituted.
            checker.watch(backend, config(CheckType.CUSTOM, NEVER, null,
                    List.of("sh", "-c", "test \"$(cat " + flag + ")\" = \"$0:$1\"", "{host}", "{port}")));
            java.nio.file.Files.writeString(flag, "127.0.0.1:4242");
            assertDownAfterThreeFailuresAndUpAfterTwoSuccesses(backend.address(),
                    () -> write(flag, "broken"), () -> write(flag, "127.0.0.1:4242"));
            assertThat(events.get(0)).endsWith("exit code 1");
        } finally {
            java.nio.file.Files.deleteIfExists(flag);
        }
    }

    @Test
    void customCheckIsKilledAtTheTimeout() throws Exception {
        BackendConfig backend = new BackendConfig("127.0.0.1", 1, 100, 5);
        HealthCheckConfig c = new HealthCheckConfig(true, 2, NEVER, Duration.ofMillis(200), 1, 1, CheckType.CUSTOM,
                "/", List.of(new StatusRange(200, 200)), Optional.empty(), Optional.empty(), List.of("sleep", "30"));
        checker.watch(backend, c);
        assertThat(step(backend.address())).isFalse();
        assertThat(checker.lastResult(backend.address())).contains("command timed out after 200ms");
    }

    @Test
    void scheduledChecksRunWithoutBeingAsked() throws Exception {
        try (HealthEndpoint endpoint = new HealthEndpoint()) {
            endpoint.status = 500;
            BackendConfig backend = new BackendConfig("127.0.0.1", endpoint.port(), 100, 5);
            checker.watch(backend, config(CheckType.HTTP, Duration.ofMillis(20), null, List.of()));
            await().atMost(TestBackend.PATIENCE).until(() -> !checker.isHealthy(backend.address()));
            endpoint.status = 200;
            await().atMost(TestBackend.PATIENCE).until(() -> checker.isHealthy(backend.address()));
        }
    }

    @Test
    void exportsUpGaugeAndTransitionCounters() throws Exception {
        try (HealthEndpoint endpoint = new HealthEndpoint()) {
            BackendConfig backend = new BackendConfig("127.0.0.1", endpoint.port(), 100, 5);
            HealthCheckConfig c = new HealthCheckConfig(true, 2, NEVER, Duration.ofSeconds(2), 1, 1, CheckType.HTTP,
                    "/health", List.of(new StatusRange(200, 200)), Optional.empty(), Optional.empty(), List.of());
            checker.watch(backend, c);
            String a = backend.address();
            assertThat(registry.get(MetricNames.BACKEND_UP).tag(MetricNames.TAG_BACKEND, a).gauge().value()).isEqualTo(1);
            endpoint.status = 500;
            step(a);
            assertThat(registry.get(MetricNames.BACKEND_UP).tag(MetricNames.TAG_BACKEND, a).gauge().value()).isEqualTo(0);
            assertThat(registry.get(MetricNames.BACKEND_HEALTH_TRANSITIONS).tag(MetricNames.TAG_BACKEND, a)
                    .tag(MetricNames.TAG_TO, "unhealthy").counter().count()).isEqualTo(1);
            checker.close();
            assertThat(registry.find(MetricNames.BACKEND_UP).gauges()).isEmpty();
        }
    }

    @Test
    void disabledChecksWatchNothingAndBackendsStayHealthy() {
        BackendConfig backend = new BackendConfig("127.0.0.1", 1, 100, 5);
        HealthCheckConfig off = new HealthCheckConfig(false, 2, NEVER, Duration.ofSeconds(1), 1, 1, CheckType.TCP,
                "/", List.of(new StatusRange(200, 200)), Optional.empty(), Optional.empty(), List.of());
        assertThat(checker.watch(backend, off)).isFalse();
        assertThat(checker.isHealthy(backend.address())).isTrue();
    }

    private static void write(java.nio.file.Path file, String text) {
        try {
            java.nio.file.Files.writeString(file, text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

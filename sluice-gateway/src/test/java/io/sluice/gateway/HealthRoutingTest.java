package io.sluice.gateway;

import static io.sluice.gateway.TestGateways.admin;
import static io.sluice.gateway.TestGateways.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Health decides which backends a route balances over, and /readyz tells the truth about it. */
class HealthRoutingTest {

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a", "b");

    @Test
    void activeChecksTakeABackendOutAndBringItBack() throws Exception {
        Gateway gateway = sluice.start("""
                health_checks:
                  interval: 1s
                  timeout: 1s
                  unhealthy_threshold: 1
                  healthy_threshold: 1
                """);
        sluice.backend(1).healthy(false);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (int i = 0; i < 4; i++) {
                assertThat(get(gateway, "/").body()).isEqualTo("a");
            }
        });
        assertThat(admin(gateway, "/readyz").statusCode()).isEqualTo(200);

        sluice.backend(0).healthy(false);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(get(gateway, "/").statusCode()).isEqualTo(503);
            assertThat(admin(gateway, "/readyz").statusCode()).isEqualTo(503);
        });
        assertThat(get(gateway, "/").body()).contains("no usable backend");

        sluice.backend(0).healthy(true);
        sluice.backend(1).healthy(true);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(admin(gateway, "/readyz").statusCode()).isEqualTo(200));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < 4; i++) {
                seen.add(get(gateway, "/").body());
            }
            assertThat(seen).containsExactlyInAnyOrder("a", "b");
        });
    }

    @Test
    void outlierDetectionEjectsABackendThatKeepsFailing() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        Gateway gateway = sluice.startWithRoutes("""
                routes:
                  - name: main
                    algorithm: round_robin
                    retry: {max_retry_attempts: 0}   # observe passive health alone
                    outlier_detection:
                      consecutive_failures: 2
                      max_ejection_percent: 50
                    backends:
                      - {host: 127.0.0.1, port: %d}
                      - {host: 127.0.0.1, port: %d}
                """.formatted(sluice.backend().port(), dead));
        int failures = 0;
        for (int i = 0; i < 6; i++) {
            if (get(gateway, "/").statusCode() == 502) {
                failures++;
            }
        }
        assertThat(failures).isEqualTo(2);
        for (int i = 0; i < 10; i++) {
            assertThat(get(gateway, "/").statusCode()).isEqualTo(200);
        }
    }
}

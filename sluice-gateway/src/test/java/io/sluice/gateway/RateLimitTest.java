package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.RawHttpClient;
import org.awaitility.Awaitility;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RateLimitTest {

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a");

    @Test
    void answers429WithRetryAfterOnceTheBurstIsSpentAndTheBackendNeverSeesIt() throws Exception {
        Gateway gateway = sluice.startWithRoutes("""
                routes:
                  - name: api
                    rate_limit: {rate: 1, per: 2s, burst: 3}
                    backends:
                      - {host: 127.0.0.1, port: %d}
                """.formatted(sluice.backend().port()));
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            for (int i = 0; i < 3; i++) {
                client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(client.read().status()).isEqualTo(200);
            }
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttpClient.Response refused = client.read();
            assertThat(refused.status()).isEqualTo(429);
            // One token every 2 s: at most 2 s to wait, less if the three requests took a while (a busy machine).
            assertThat(refused.header("retry-after")).isIn("1", "2");
            assertThat(refused.header("ratelimit-policy")).isEqualTo("\"default\";q=3;w=2");
            assertThat(refused.header("ratelimit")).startsWith("\"default\";r=0;t=");
        }
        assertThat(sluice.backend().requestsReceived()).isEqualTo(3);
        // Tokens come back at the refill rate (one per 2 s): a request soon succeeds again.
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(TestGateways.get(gateway, "/").statusCode()).isEqualTo(200));
        assertThat(gateway.metrics().registry().get("sluice.ratelimit.rejected").tag("scope", "global")
                .counter().count()).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void perClientLimitsKeyOnAHeader() throws Exception {
        Gateway gateway = sluice.startWithRoutes("""
                routes:
                  - name: api
                    rate_limit: {rate: 1, per: 1m, burst: 1, global: false, per_client: true, key: "header:X-Api-Key"}
                    backends:
                      - {host: 127.0.0.1, port: %d}
                """.formatted(sluice.backend().port()));
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Api-Key: alice\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(200);
            client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Api-Key: alice\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(429);
            client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Api-Key: bob\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(200);
        }
    }
}

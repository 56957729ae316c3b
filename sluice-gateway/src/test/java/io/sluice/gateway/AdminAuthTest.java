package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.config.ConfigException;
import io.sluice.gateway.api.Codec;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The control API's protection: bearer token off loopback (refusing to start without one), rate limit. */
class AdminAuthTest {

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a");

    @Test
    void bindingBeyondLoopbackWithoutATokenIsAConfigError() {
        assertThatThrownBy(() -> sluice.start("""
                admin:
                  host: 0.0.0.0
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("admin.token: required when admin.host (0.0.0.0) is not a loopback address");
    }

    @Test
    void offLoopbackEveryApiCallNeedsTheBearerToken() throws Exception {
        Gateway gateway = sluice.start("""
                admin:
                  host: 0.0.0.0
                  token: s3cret-token
                """);
        AdminClient anonymous = new AdminClient(gateway, Codec.JSON);
        AdminClient.Answer refused = anonymous.get("/api/v1/routes");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.contentType()).isEqualTo("application/problem+json");
        assertThat(refused.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"sluice-admin\"");
        assertThat(refused.body().get("detail").asText()).isEqualTo("this API needs Authorization: Bearer <admin.token>");

        AdminClient wrong = new AdminClient(gateway, Codec.JSON).header("Authorization", "Bearer nope");
        assertThat(wrong.get("/api/v1/routes").body().get("detail").asText())
                .isEqualTo("the bearer token is not the admin token");

        AdminClient operator = new AdminClient(gateway, Codec.MSGPACK).header("Authorization", "Bearer s3cret-token");
        assertThat(operator.get("/api/v1/routes").status()).isEqualTo(200);
        // probes and scrapers need no token
        assertThat(anonymous.raw("GET", "/healthz", null).status()).isEqualTo(200);
    }

    @Test
    void aTokenOnLoopbackIsRequiredToo() throws Exception {
        Gateway gateway = sluice.start("""
                admin:
                  token: local-token
                """);
        assertThat(new AdminClient(gateway, Codec.JSON).get("/api/v1/stats").status()).isEqualTo(401);
        assertThat(new AdminClient(gateway, Codec.JSON).header("Authorization", "bearer local-token")
                .get("/api/v1/stats").status()).isEqualTo(200);
    }

    @Test
    void theApiIsRateLimitedWithRetryAfter() throws Exception {
        Gateway gateway = sluice.start("""
                admin:
                  rate_limit:
                    rate: 1
                    per: 1m
                    burst: 5
                """);
        AdminClient api = new AdminClient(gateway, Codec.JSON);
        for (int i = 0; i < 5; i++) {
            assertThat(api.get("/api/v1/jobs").status()).isEqualTo(200);
        }
        AdminClient.Answer limited = api.get("/api/v1/jobs");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.headers().firstValue("retry-after")).isPresent();
        assertThat(limited.body().get("type").asText()).isEqualTo("https://sluice.dev/problems/rate-limited");
        // health probes are not limited
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> api.raw("GET", "/healthz", null).status() == 200);
    }
}

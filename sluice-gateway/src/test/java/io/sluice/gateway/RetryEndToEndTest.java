package io.sluice.gateway;

import static io.sluice.gateway.TestGateways.HTTP;
import static io.sluice.gateway.TestGateways.admin;
import static io.sluice.gateway.TestGateways.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retries end to end, against real loopback backends that refuse, reset, or answer 503. */
class RetryEndToEndTest {

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a", "b", "c");

    private final java.util.List<ScriptedBackend> scripted = new java.util.ArrayList<>();

    @AfterEach
    void closeScripted() throws Exception {
        for (ScriptedBackend b : scripted) {
            b.close();
        }
    }

    private ScriptedBackend scripted(ScriptedBackend.Script script) throws Exception {
        ScriptedBackend b = new ScriptedBackend(script);
        scripted.add(b);
        return b;
    }

    /** One route "main" over {@code ports}, in order, with {@code retry} as its retry block. */
    private Gateway start(String retry, int... ports) throws Exception {
        String backends = Arrays.stream(ports)
                .mapToObj(p -> "          - host: 127.0.0.1\n            port: " + p + "\n")
                .collect(Collectors.joining());
        return sluice.startWithRoutes("""
                routes:
                  - name: main
                    retry:
                %s
                    backends:
                %s""".formatted(retry.indent(6).stripTrailing(), backends.stripTrailing()));
    }

    private static HttpResponse<String> post(Gateway gateway, String path, HttpRequest.BodyPublisher body)
            throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port("http") + path))
                .timeout(Duration.ofSeconds(20)).POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void stoppingOneOfThreeBackendsMidRunFailsNoClientRequest() throws Exception {
        // A stopped backend's connections may close (reset: retried), refuse (connect failure: retried), or,
        // when its process stops without closing them, stay open and silent: the per-try timeout covers that.
        Gateway gateway = start("""
                retry_initial_backoff: 5ms
                per_try_timeout: 2s
                budget_percent: 50
                """, sluice.backend(0).port(), sluice.backend(1).port(), sluice.backend(2).port());
        int failed = 0;
        for (int i = 0; i < 300; i++) {
            if (i == 100) {
                sluice.backend(1).close();
            }
            HttpResponse<String> response = get(gateway, "/");
            if (response.statusCode() != 200) {
                failed++;
            }
        }
        assertThat(failed).isZero();
        assertThat(admin(gateway, "/metrics").body())
                .containsPattern("sluice_retries_total\\{reason=\"(connect_failure|reset_before_response)\","
                        + "route=\"main\"}");
    }

    @Test
    void smallPostIsRetriedOnAnotherBackendWithItsWholeBody() throws Exception {
        ScriptedBackend resetting = scripted(ScriptedBackend.CLOSE);
        Gateway gateway = start("retry_initial_backoff: 1ms", resetting.port(), sluice.backend(0).port());
        byte[] body = new byte[1000];
        HttpResponse<String> response = post(gateway, "/count", HttpRequest.BodyPublishers.ofByteArray(body));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("1000");
        assertThat(resetting.requests()).isEqualTo(1);
        assertThat(sluice.backend(0).requestsReceived()).isEqualTo(1);
        // The retry was rewritten afresh from the request as received, not from the first try's rewritten copy.
        assertThat(sluice.backend(0).receivedHeaders().get(0).getAll("x-forwarded-for")).containsExactly("127.0.0.1");
        assertThat(sluice.backend(0).receivedHeaders().get(0).getAll("via")).containsExactly("1.1 sluice");
    }

    @Test
    void streamedPostLargerThanTheReplayBufferIsNotRetried() throws Exception {
        ScriptedBackend first = scripted(ScriptedBackend.CLOSE);
        ScriptedBackend second = scripted(ScriptedBackend.CLOSE);
        Gateway gateway = start("""
                retry_initial_backoff: 1ms
                replay_buffer_size: 16KiB
                """, first.port(), second.port());
        byte[] body = new byte[256 * 1024];
        // Unknown length: the client streams it chunked, so only its size in flight shows it is too large.
        HttpResponse<String> response = post(gateway, "/upload",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(first.requests() + second.requests()).isEqualTo(1);
    }

    @Test
    void postDeclaredLargerThanTheReplayBufferIsNotRetriedEvenOnConnectFailure() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Gateway gateway = start("""
                retry_initial_backoff: 1ms
                replay_buffer_size: 1KiB
                """, closedPort, sluice.backend(0).port());
        HttpResponse<String> response = post(gateway, "/count", HttpRequest.BodyPublishers.ofByteArray(new byte[4096]));
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(sluice.backend(0).requestsReceived()).isZero();
    }

    @Test
    void getIsRetriedOnAnotherBackendWhenConnectRefused() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Gateway gateway = start("retry_initial_backoff: 1ms", closedPort, sluice.backend(0).port());
        HttpResponse<String> response = get(gateway, "/");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("a");
    }

    @Test
    void statusRetryDiscardsTheFirstAnswerAndGoesToAnotherBackend() throws Exception {
        ScriptedBackend unavailable = scripted(i -> ScriptedBackend.status(503, ""));
        Gateway gateway = start("retry_initial_backoff: 1ms", unavailable.port(), sluice.backend(0).port());
        HttpResponse<String> response = get(gateway, "/");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("a");
        assertThat(unavailable.requests()).isEqualTo(1);
    }

    @Test
    void retryBudgetCapsAttemptsWhenEveryBackendFails() throws Exception {
        ScriptedBackend x = scripted(i -> ScriptedBackend.status(503, ""));
        ScriptedBackend y = scripted(i -> ScriptedBackend.status(503, ""));
        Gateway gateway = start("""
                max_retry_attempts: 2
                retry_initial_backoff: 1ms
                budget_percent: 10
                budget_min_per_second: 0
                """, x.port(), y.port());
        int requests = 50;
        for (int i = 0; i < requests; i++) {
            assertThat(get(gateway, "/").statusCode()).isEqualTo(503);
        }
        int attempts = x.requests() + y.requests();
        // Unbudgeted, each request would have had 3 tries (150); 10 % allows 5 retries.
        assertThat(attempts).isGreaterThan(requests).isLessThanOrEqualTo(requests + requests / 10);
        assertThat(admin(gateway, "/metrics").body())
                .containsPattern("sluice_retry_budget_exhausted_total\\{route=\"main\"} [1-9]");
    }

    @Test
    void backendAnsweringRetryAfterIsNotRetriedBeforeThen() throws Exception {
        ScriptedBackend busy = scripted(i -> i == 0 ? ScriptedBackend.status(503, "Retry-After: 2\r\n")
                : ScriptedBackend.ok("later"));
        Gateway gateway = start("""
                retry_initial_backoff: 1ms
                retry_max_backoff: 10ms
                """, busy.port());
        HttpResponse<String> response = get(gateway, "/");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("later");
        // The backoff alone would have retried within 10 ms; Retry-After held it off for 2 s.
        long gap = busy.arrivalNanos().get(1) - busy.arrivalNanos().get(0);
        assertThat(gap).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1_900));
    }

    @Test
    void retriesStopAfterMaxAttemptsAndTheLastFailureIsReported() throws Exception {
        ScriptedBackend x = scripted(ScriptedBackend.CLOSE);
        Gateway gateway = start("""
                max_retry_attempts: 3
                retry_initial_backoff: 1ms
                """, x.port());
        HttpResponse<String> response = get(gateway, "/");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("closed the connection before a complete response");
        assertThat(x.requests()).isEqualTo(4);
    }

    @Test
    void perTryTimeoutMovesASilentTryToAnotherBackend() throws Exception {
        Gateway gateway = start("""
                retry_initial_backoff: 1ms
                per_try_timeout: 300ms
                """, sluice.backend(0).port(), sluice.backend(1).port());
        // /silent never answers on either; /sleep answers. The first try goes to backend a.
        HttpResponse<String> response = get(gateway, "/silent");
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body()).contains("per-try timeout of 300ms");
        assertThat(sluice.backend(0).requestsReceived() + sluice.backend(1).requestsReceived()).isEqualTo(3);
        assertThat(sluice.backend(0).requestsReceived()).isPositive();
        assertThat(sluice.backend(1).requestsReceived()).isPositive();
    }
}

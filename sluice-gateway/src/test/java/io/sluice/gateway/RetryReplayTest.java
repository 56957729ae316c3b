package io.sluice.gateway;

import static io.sluice.gateway.TestGateways.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Per-try timeouts and the replay buffer: what may be sent again, and that it is sent again unchanged. */
class RetryReplayTest {

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a");

    private ScriptedServer first;
    private ScriptedServer second;

    @AfterEach
    void closeServers() throws Exception {
        for (ScriptedServer s : new ScriptedServer[] {first, second}) {
            if (s != null) {
                s.close();
            }
        }
    }

    @Test
    void aTryWithoutAnswerWithinThePerTryTimeoutIsRetriedOnAnotherBackend() throws Exception {
        first = new ScriptedServer(ScriptedServer.Mode.STALL);
        Gateway gateway = sluice.startWithRoutes(routes("    retry: {per_try_timeout: 200ms}\n",
                first.port(), sluice.backend().port()));
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = get(gateway, "/");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("a");
        }
        assertThat(first.requests.get()).isGreaterThanOrEqualTo(2);
        assertThat(gateway.metrics().registry().get("sluice.retries").tag("reason", "per_try_timeout")
                .counter().count()).isEqualTo(first.requests.get());
    }

    @Test
    void aSmallPostToAFailingBackendIsRetriedWithAnIdenticalBody() throws Exception {
        first = new ScriptedServer(ScriptedServer.Mode.RESET);
        second = new ScriptedServer(ScriptedServer.Mode.ECHO);
        Gateway gateway = sluice.startWithRoutes(routes("", first.port(), second.port()));
        byte[] body = new byte[20_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        for (int i = 0; i < 4; i++) {
            HttpResponse<byte[]> response = post(gateway, HttpRequest.BodyPublishers.ofByteArray(body));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(body);
        }
        assertThat(first.requests.get()).isGreaterThanOrEqualTo(2);
        assertThat(first.bodies).allSatisfy(b -> assertThat(b).isEqualTo(body));
        assertThat(second.requests.get()).isEqualTo(4);
    }

    @Test
    void aPostWithALargeStreamedBodyIsNotRetried() throws Exception {
        first = new ScriptedServer(ScriptedServer.Mode.RESET);
        second = new ScriptedServer(ScriptedServer.Mode.ECHO);
        Gateway gateway = sluice.startWithRoutes(routes("", first.port(), second.port()));
        byte[] body = new byte[512 * 1024];
        Arrays.fill(body, (byte) 'x');
        int bad = 0;
        for (int i = 0; i < 2; i++) {
            // Streamed without a length (chunked): the gateway learns the size only as it forwards.
            HttpResponse<byte[]> response = post(gateway,
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
            if (response.statusCode() == 502) {
                bad++;
            } else {
                assertThat(response.statusCode()).isEqualTo(200);
            }
        }
        assertThat(bad).as("the try on the resetting backend is answered 502, not replayed").isEqualTo(1);
        assertThat(first.requests.get()).isEqualTo(1);
        assertThat(second.requests.get()).isEqualTo(1);
        assertThat(gateway.metrics().registry().find("sluice.retries").counter()).isNull();
    }

    @Test
    void aBodyOverAConfiguredReplayBufferIsNotRetriedButOneWithinIs() throws Exception {
        first = new ScriptedServer(ScriptedServer.Mode.RESET);
        Gateway gateway = sluice.startWithRoutes(routes("    retry: {replay_buffer: 1KiB}\n", first.port()));
        assertThat(post(gateway, HttpRequest.BodyPublishers.ofByteArray(new byte[2048])).statusCode()).isEqualTo(502);
        assertThat(first.requests.get()).as("2 KiB > 1 KiB: tried once").isEqualTo(1);
        assertThat(post(gateway, HttpRequest.BodyPublishers.ofByteArray(new byte[512])).statusCode()).isEqualTo(502);
        assertThat(first.requests.get()).as("512 B: 1 + max_retry_attempts (2) tries").isEqualTo(4);
    }

    private static HttpResponse<byte[]> post(Gateway gateway, HttpRequest.BodyPublisher body) throws Exception {
        return TestGateways.HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.port("http") + "/upload"))
                .POST(body).timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String routes(String extra, int... ports) {
        StringBuilder yaml = new StringBuilder("routes:\n  - name: main\n    algorithm: round_robin\n" + extra
                + "    backends:\n");
        for (int port : ports) {
            yaml.append("      - {host: 127.0.0.1, port: ").append(port).append("}\n");
        }
        return yaml.toString();
    }
}

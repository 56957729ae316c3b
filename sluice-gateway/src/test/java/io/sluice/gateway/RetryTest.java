package io.sluice.gateway;

import static io.sluice.gateway.TestGateways.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.TestBackend;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RetryTest {

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a", "b", "c");

    private ServerSocket raw;

    @AfterEach
    void closeRaw() throws IOException {
        if (raw != null) {
            raw.close();
        }
    }

    @Test
    void retriesOnAnotherBackendWhenConnectRefused() throws Exception {
        Gateway gateway = sluice.startWithRoutes(routes(deadPort(), sluice.backend().port()));
        for (int i = 0; i < 8; i++) {
            assertThat(get(gateway, "/").statusCode()).isEqualTo(200);
        }
        assertThat(gateway.metrics().registry().get("sluice.retries").tag("reason", "connect_failure")
                .counter().count()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void stoppingOneOfThreeBackendsUnderLoadFailsNoRequest() throws Exception {
        // Retries cover the requests that meet the stopped backend until passive health ejects it.
        Gateway gateway = sluice.startWithRoutes(routes(sluice.backend(0).port(), sluice.backend(1).port(),
                sluice.backend(2).port()) + "    outlier_detection: {consecutive_failures: 3}\n");
        for (int i = 0; i < 300; i++) {
            if (i == 100) {
                sluice.backend(1).close();
            }
            HttpResponse<String> response = get(gateway, "/");
            assertThat(response.statusCode()).as("request %d", i).isEqualTo(200);
        }
    }

    @Test
    void retriesA503OnAnotherBackend() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        int unavailable = rawServer(attempts, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy");
        Gateway gateway = sluice.startWithRoutes(routes(unavailable, sluice.backend().port()));
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> response = get(gateway, "/");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("a");
        }
        assertThat(attempts.get()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void honoursRetryAfterBeforeRetryingTheSameBackend() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        int busy = rawServer(attempts,
                "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 4\r\n\r\nbusy");
        Gateway gateway = sluice.startWithRoutes(routes(busy) + "    retry: {max_retry_attempts: 1}\n");
        long start = System.nanoTime();
        HttpResponse<String> response = get(gateway, "/");
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(attempts.get()).isEqualTo(2);
        assertThat(waitedMillis).as("the retry waited for the backend's Retry-After").isGreaterThanOrEqualTo(900);
    }

    @Test
    void passesALongRetryAfterOnInsteadOfHoldingTheRequest() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        int busy = rawServer(attempts,
                "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 120\r\nContent-Length: 4\r\n\r\nbusy");
        Gateway gateway = sluice.startWithRoutes(routes(busy));
        HttpResponse<String> response = get(gateway, "/");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("retry-after")).hasValue("120");
        assertThat(attempts.get()).isEqualTo(1);
    }

    @Test
    void aSmallPostIsReplayedFromTheReplayBufferLikeAGet() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        int resetting = rawServer(attempts, null);
        Gateway gateway = sluice.startWithRoutes(routes(resetting));

        HttpResponse<String> post = TestGateways.HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.port("http") + "/count"))
                .POST(HttpRequest.BodyPublishers.ofString("payload")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(502);
        assertThat(attempts.get()).as("a body within retry.replay_buffer is sent again: 1 + 2 tries").isEqualTo(3);

        assertThat(get(gateway, "/").statusCode()).isEqualTo(502);
        assertThat(attempts.get()).as("a GET is tried 1 + max_retry_attempts (2) times").isEqualTo(6);
    }

    @Test
    void retryBudgetCapsAttemptsWhenEverythingFails() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        int resetting = rawServer(attempts, null);
        Gateway gateway = sluice.startWithRoutes("""
                routes:
                  - name: main
                    retry:
                      budget_percent: 0
                    backends:
                      - {host: 127.0.0.1, port: %d}
                """.formatted(resetting));
        long start = System.nanoTime();
        for (int i = 0; i < 30; i++) {
            assertThat(get(gateway, "/").statusCode()).isEqualTo(502);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // 30 first attempts plus the budget's floor of 10 retries to start with and 10 more a second: not 30 × 3.
        assertThat(attempts.get()).isBetween(30, 30 + 10 + (int) Math.ceil(10 * seconds) + 1);
    }

    private static String routes(int... ports) {
        StringBuilder yaml = new StringBuilder("routes:\n  - name: main\n    algorithm: round_robin\n    backends:\n");
        for (int port : ports) {
            yaml.append("      - {host: 127.0.0.1, port: ").append(port).append("}\n");
        }
        return yaml.toString();
    }

    private static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A server that reads a request head and answers {@code reply}, or resets the connection when it is null. */
    private int rawServer(AtomicInteger attempts, String reply) throws IOException {
        raw = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ServerSocket server = raw;
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread.ofVirtual().start(() -> serve(socket, attempts, reply));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server.getLocalPort();
    }

    private static void serve(Socket socket, AtomicInteger attempts, String reply) {
        try (socket) {
            var in = socket.getInputStream();
            while (true) {
                StringBuilder head = new StringBuilder();
                int c;
                while ((c = in.read()) != -1) {
                    head.append((char) c);
                    if (head.toString().endsWith("\r\n\r\n")) {
                        break;
                    }
                }
                if (c == -1) {
                    return;
                }
                attempts.incrementAndGet();
                if (reply == null) {
                    socket.setSoLinger(true, 0); // RST, not FIN
                    return;
                }
                socket.getOutputStream().write(reply.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
            }
        } catch (IOException ignored) {
            // the gateway may close first
        }
    }

    @SuppressWarnings("unused")
    private static TestBackend unused() {
        return null;
    }
}

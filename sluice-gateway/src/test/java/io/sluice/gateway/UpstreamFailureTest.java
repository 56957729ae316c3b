package io.sluice.gateway;

import static io.sluice.gateway.TestGateways.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class UpstreamFailureTest {

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a");

    @Test
    void refusedBackendGets502SayingWhy() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Gateway gateway = sluice.startWithRoutes("""
                routes:
                  - name: main
                    backends:
                      - host: 127.0.0.1
                        port: %d
                """.formatted(closedPort));
        HttpResponse<String> response = get(gateway, "/");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("refused the connection").contains("127.0.0.1:" + closedPort);
    }

    @Test
    void malformedBackendResponseGets502AndItsConnectionIsNotReused() throws Exception {
        try (ServerSocket smuggler = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
            Thread server = Thread.ofVirtual().start(() -> {
                while (!smuggler.isClosed()) {
                    try (java.net.Socket s = smuggler.accept()) {
                        accepted.incrementAndGet();
                        s.getInputStream().read(new byte[4096]);
                        // Both framings at once: a parser that picks either one can be desynchronised.
                        s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
                                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n\r\n")
                                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                        s.getOutputStream().flush();
                        s.getInputStream().read(new byte[4096]);
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            Gateway gateway = sluice.startWithRoutes("""
                    routes:
                      - name: main
                        backends:
                          - host: 127.0.0.1
                            port: %d
                    """.formatted(smuggler.getLocalPort()));
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> response = get(gateway, "/");
                assertThat(response.statusCode()).isEqualTo(502);
                assertThat(response.body()).contains("malformed response");
            }
            // Each request needed a fresh connection: the poisoned one was discarded, never pooled.
            assertThat(accepted.get()).isEqualTo(2);
            smuggler.close();
            server.join(5_000);
        }
    }

    @Test
    void silentBackendGets504AfterReadTimeout() throws Exception {
        Gateway gateway = sluice.start("timeouts:\n  read: 300ms\n");
        HttpResponse<String> response = get(gateway, "/silent");
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body()).contains("did not answer within 300ms");
        // The timed-out connection is not reused: the next request works on a fresh one.
        assertThat(get(gateway, "/").statusCode()).isEqualTo(200);
    }

    @Test
    void requestWaitingLongerThanWaitTimeoutGets503WithRetryAfter() throws Exception {
        Gateway gateway = sluice.start("""
                connection_pool:
                  max_connections: 1
                  wait_timeout: 200ms
                timeouts:
                  read: 5s
                """);
        CompletableFuture<HttpResponse<String>> holder = CompletableFuture.supplyAsync(() -> {
            try {
                return get(gateway, "/sleep?ms=1500");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        org.awaitility.Awaitility.await().until(() -> sluice.backend().requestsReceived() == 1);
        HttpResponse<String> rejected = get(gateway, "/");
        assertThat(rejected.statusCode()).isEqualTo(503);
        assertThat(rejected.headers().firstValue("retry-after")).hasValue("1");
        assertThat(rejected.body()).contains("timed out after 200ms").contains("total=1, active=1");
        assertThat(holder.get().statusCode()).isEqualTo(200);
    }
}

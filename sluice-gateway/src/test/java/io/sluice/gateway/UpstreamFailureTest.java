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

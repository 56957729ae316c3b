package io.sluice.gateway;

import static io.sluice.gateway.TestGateways.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.RawHttpClient;
import io.sluice.testing.TestBackend;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProxyBasicsTest {

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a", "b");
    private final TestBackend a = sluice.backend(0);
    private final TestBackend b = sluice.backend(1);

    @Test
    void spreadsRequestsOverBackendsInTurn() throws Exception {
        Gateway gateway = sluice.start("");
        Set<String> answeredBy = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = get(gateway, "/");
            assertThat(response.statusCode()).isEqualTo(200);
            answeredBy.add(response.body());
        }
        assertThat(answeredBy).containsExactlyInAnyOrder("a", "b");
        assertThat(a.requestsReceived()).isEqualTo(2);
        assertThat(b.requestsReceived()).isEqualTo(2);
    }

    @Test
    void reusesUpstreamConnectionsOverAThousandRequests() throws Exception {
        Gateway gateway = sluice.startFor("", a);
        for (int i = 0; i < 1000; i++) {
            assertThat(get(gateway, "/").statusCode()).isEqualTo(200);
        }
        assertThat(a.requestsReceived()).isEqualTo(1000);
        // Sequential requests need one connection; the event-loop preference may open one per loop.
        assertThat(a.connectionsAccepted()).isBetween(1, 2);
    }

    @Test
    void unknownRouteGets404WithReason() throws Exception {
        Gateway gateway = sluice.startWithRoutes("""
                routes:
                  - name: api
                    path_prefix: /api
                    backends:
                      - host: 127.0.0.1
                        port: %d
                """.formatted(a.port()));
        HttpResponse<String> response = get(gateway, "/other");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("no route for").contains("/other");
        assertThat(get(gateway, "/api/x").statusCode()).isEqualTo(200);
        assertThat(a.requestsReceived()).isEqualTo(1);
    }

    @Test
    void lastResponseOnAConnectionSaysCloseAfterMaxRequests() throws Exception {
        Gateway gateway = sluice.startFor("connection_settings:\n  max_requests_per_connection: 2\n", a);
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.read().header("connection")).isNull();
            client.send("GET /2 HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttpClient.Response last = client.read();
            assertThat(last.status()).isEqualTo(200);
            assertThat(last.header("connection")).isEqualToIgnoringCase("close");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void closesAClientConnectionIdleLongerThanKeepAliveTimeout() throws Exception {
        Gateway gateway = sluice.startFor("connection_settings:\n  keep_alive_timeout: 1s\n", a);
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(200);
            long start = System.nanoTime();
            assertThat(client.closedByServer()).isTrue();
            // Closed by the keep-alive timer, not by the 15 s socket timeout of the test client.
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(10));
        }
    }

    @Test
    void clientDribblingItsHeadersGets408AndIsClosed() throws Exception {
        Gateway gateway = sluice.startFor("timeouts:\n  request_header: 300ms\n", a);
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
            // ...and never finishes the head.
            RawHttpClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(408);
            assertThat(response.header("connection")).isEqualToIgnoringCase("close");
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(a.requestsReceived()).isZero();
    }

    @Test
    void requestHeadTimeoutDoesNotCutOffIdleKeepAliveConnections() throws Exception {
        Gateway gateway = sluice.startFor("timeouts:\n  request_header: 200ms\n", a);
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(200);
            Thread.sleep(700); // idle, not sending: keep-alive (75 s) governs, not the head timeout
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(200);
        }
    }

    @Test
    void answersPipelinedRequestsInOrder() throws Exception {
        Gateway gateway = sluice.startFor("", a);
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send("GET /sleep?ms=50 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                    + "GET /echo-headers HTTP/1.1\r\nHost: x\r\nX-Third: yes\r\n\r\n");
            assertThat(client.read().body()).isEqualTo("a");
            assertThat(client.read().body()).isEqualTo("3");
            assertThat(client.read().body()).contains("x-third: yes");
        }
    }

    @Test
    void answersExpectContinueBeforeTheBodyIsSent() throws Exception {
        Gateway gateway = sluice.startFor("", a);
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send("POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(100);
            client.send("hello");
            RawHttpClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("5");
        }
        assertThat(a.receivedHeaders().get(0).contains("expect")).isFalse();
    }

    @Test
    void forwardsChunkedRequestBodies() throws Exception {
        Gateway gateway = sluice.startFor("", a);
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send("POST /count HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
            RawHttpClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("11");
        }
    }

    @Test
    void headResponsesCarryNoBody() throws Exception {
        Gateway gateway = sluice.startFor("", a);
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttpClient.Response head = client.read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("1");
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.read().body()).isEqualTo("a");
        }
    }

    @Test
    void http10ClientGetsACompleteBodyWithoutChunking() throws Exception {
        Gateway gateway = sluice.startFor("", a);
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send("GET /download?bytes=100000 HTTP/1.0\r\nHost: x\r\n\r\n");
            RawHttpClient.Response response = client.read();
            assertThat(response.header("transfer-encoding")).isNull();
            assertThat(response.body()).hasSize(100000);
        }
    }
}

package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class Http2ProxyTest {

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a");

    @Test
    void http2ClientReachesHttp11BackendThroughH2cUpgrade() throws Exception {
        Gateway gateway = sluice.start("");
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        URI base = URI.create("http://127.0.0.1:" + gateway.port("http"));
        // The first request upgrades the connection; the next ones are plain HTTP/2 streams on it.
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = h2.send(HttpRequest.newBuilder(base.resolve("/echo-headers"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(response.body()).contains("via: 2 sluice").doesNotContain("x-http2");
        }
        HttpResponse<String> post = h2.send(HttpRequest.newBuilder(base.resolve("/count"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(100_000)))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.body()).isEqualTo("100000");
        assertThat(post.version()).isEqualTo(HttpClient.Version.HTTP_2);
    }

    @Test
    void http2ConnectionIsRetiredGracefullyAfterMaxRequests() throws Exception {
        Gateway gateway = sluice.start("connection_settings:\n  max_requests_per_connection: 3\n");
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        URI uri = URI.create("http://127.0.0.1:" + gateway.port("http") + "/");
        // Every request succeeds: after three streams the client is told (GOAWAY) to open a new connection.
        for (int i = 0; i < 7; i++) {
            HttpResponse<String> response;
            try {
                response = h2.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException refused) {
                // A request sent as the GOAWAY crossed it was not processed (RFC 9113 §6.8): a client resends it.
                response = h2.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            assertThat(response.statusCode()).isEqualTo(200);
        }
        assertThat(sluice.backend().requestsReceived()).isEqualTo(7);
        assertThat(gateway.metrics().registry().get("sluice.downstream.connections").counter().count())
                .isGreaterThanOrEqualTo(3);
    }
}

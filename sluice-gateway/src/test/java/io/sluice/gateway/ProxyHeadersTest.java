package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpHeaders;
import io.sluice.testing.RawHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProxyHeadersTest {

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a");

    @Test
    void removesHopByHopHeadersAndThoseNamedInConnection() throws Exception {
        Gateway gateway = sluice.start("");
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send("GET /echo-headers HTTP/1.1\r\nHost: example.com\r\nConnection: keep-alive, X-Secret\r\n"
                    + "X-Secret: hush\r\nKeep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nTE: trailers\r\n"
                    + "Upgrade: websocket\r\nX-Kept: yes\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(200);
        }
        HttpHeaders received = sluice.backend().receivedHeaders().get(0);
        assertThat(received.contains("x-secret")).isFalse();
        assertThat(received.contains("keep-alive")).isFalse();
        assertThat(received.contains("proxy-connection")).isFalse();
        assertThat(received.contains("te")).isFalse();
        assertThat(received.contains("upgrade")).isFalse();
        assertThat(received.get("x-kept")).isEqualTo("yes");
    }

    @Test
    void addsForwardedHeadersAndViaAndPreservesHost() throws Exception {
        Gateway gateway = sluice.start("");
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send("GET /echo-headers HTTP/1.1\r\nHost: example.com\r\nX-Forwarded-For: 10.1.2.3\r\n\r\n");
            RawHttpClient.Response response = client.read();
            assertThat(response.header("via")).isEqualTo("1.1 sluice");
        }
        HttpHeaders received = sluice.backend().receivedHeaders().get(0);
        assertThat(received.get("host")).isEqualTo("example.com");
        assertThat(received.get("x-forwarded-for")).isEqualTo("10.1.2.3, 127.0.0.1");
        assertThat(received.get("x-forwarded-proto")).isEqualTo("http");
        assertThat(received.get("x-forwarded-host")).isEqualTo("example.com");
        assertThat(received.get("via")).isEqualTo("1.1 sluice");
    }

    @Test
    void forwardingHeadersCanBeTurnedOffAndHostRewritten() throws Exception {
        Gateway gateway = sluice.start("proxy:\n  x_forwarded: false\n  via: false\n  preserve_host: false\n");
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send("GET /echo-headers HTTP/1.1\r\nHost: example.com\r\n\r\n");
            assertThat(client.read().header("via")).isNull();
        }
        HttpHeaders received = sluice.backend().receivedHeaders().get(0);
        assertThat(received.contains("x-forwarded-for")).isFalse();
        assertThat(received.contains("via")).isFalse();
        assertThat(received.get("host")).isEqualTo("127.0.0.1:" + sluice.backend().port());
    }
}

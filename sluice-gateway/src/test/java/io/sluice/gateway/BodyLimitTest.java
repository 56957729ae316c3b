package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.RawHttpClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** max_body_size: 413 before forwarding when the length is declared, and mid-stream when it is not. */
class BodyLimitTest {

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a");

    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = sluice.startWithRoutes("""
                routes:
                  - name: uploads
                    path_prefix: /count/up
                    max_body_size: 0
                    backends:
                      - host: 127.0.0.1
                        port: %1$d
                  - name: api
                    path_prefix: /
                    max_body_size: 1KiB
                    backends:
                      - host: 127.0.0.1
                        port: %1$d
                """.formatted(sluice.backend().port()));
    }

    @Test
    void declaredOversizeBodyGets413BeforeAnyByteIsForwarded() throws Exception {
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send("POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n");
            RawHttpClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.body()).contains("5000 bytes").contains("at most 1024");
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(sluice.backend().requestsReceived()).isZero();
    }

    @Test
    void aClientStillSendingItsDeclaredBodyGetsThe413NotAReset() throws Exception {
        // The client writes 16 MB of a 64 MB body before it reads anything. Closing under it would make the kernel
        // reset the connection, and the reset can destroy the 413 before it is read; the gateway lingers instead:
        // FIN after the response, then it drops what still arrives until the client closes.
        byte[] chunk = new byte[64 * 1024];
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), gateway.port("http"))) {
            java.io.OutputStream out = socket.getOutputStream();
            out.write("POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 67108864\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            for (int i = 0; i < 256; i++) {
                out.write(chunk);
            }
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 413 ").contains("67108864 bytes").contains("connection: close");
        }
        assertThat(sluice.backend().requestsReceived()).isZero();
    }

    @Test
    void chunkedBodyCrossingTheLimitIsCutOffWith413() throws Exception {
        String chunk = "x".repeat(600);
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send("POST /count HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "258\r\n" + chunk + "\r\n258\r\n" + chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n");
            RawHttpClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(client.closedByServer()).isTrue();
        }
        // The backend may have seen the head; it never answered a complete oversize request.
        org.awaitility.Awaitility.await().until(() -> gateway.proxy().activeExchanges() == 0);
        assertThat(sluice.backend().requestsReceived()).isLessThanOrEqualTo(1);
    }

    @Test
    void bodiesWithinTheLimitAndOnUnlimitedRoutesPass() throws Exception {
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send("POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 1024\r\n\r\n" + "y".repeat(1024));
            assertThat(client.read().body()).isEqualTo("1024");
            client.send("POST /count/up HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + "z".repeat(100_000));
            assertThat(client.read().body()).isEqualTo("100000");
        }
    }
}

package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin listener speaks h2c (upgrade and prior knowledge) to the same handlers and with the same limits as
 * HTTP/1.1: 1 MB bodies, the rate limit, the bearer token.
 */
class AdminHttp2Test {

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a");

    /** The JDK client asks for {@code Upgrade: h2c} on its first cleartext request and keeps HTTP/2 after. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void closeClient() {
        http.close();
    }

    private HttpResponse<String> send(Gateway gateway, String method, String path, byte[] body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUpgradedConnectionServesTheApiOverHttp2() throws Exception {
        Gateway gateway = sluice.start("");
        HttpResponse<String> health = send(gateway, "GET", "/healthz", null);
        assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(health.body()).isEqualTo("ok\n");

        HttpResponse<String> routes = send(gateway, "GET", "/api/v1/routes", null);
        assertThat(routes.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(routes.statusCode()).isEqualTo(200);
        assertThat(routes.headers().firstValue("content-type")).hasValue("application/json");

        String backend = "127.0.0.1:" + sluice.backend().port();
        HttpResponse<String> patched = send(gateway, "PATCH", "/api/v1/routes/main/backends/" + backend,
                "{\"weight\": 7}".getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
        assertThat(patched.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(patched.body()).contains("\"weight\":7");
    }

    @Test
    void aBodyOverOneMegabyteIs413OnItsStreamAndTheConnectionLives() throws Exception {
        Gateway gateway = sluice.start("");
        assertThat(send(gateway, "GET", "/healthz", null).version()).isEqualTo(HttpClient.Version.HTTP_2);
        byte[] big = new byte[1_000_001];
        Arrays.fill(big, (byte) ' ');
        HttpResponse<String> tooBig = send(gateway, "POST", "/api/v1/batch", big, "Content-Type", "application/json");
        assertThat(tooBig.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(tooBig.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(tooBig.body()).contains("exceeds 1000000 bytes");
        HttpResponse<String> after = send(gateway, "GET", "/api/v1/jobs", null);
        assertThat(after.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(after.statusCode()).isEqualTo(200);
    }

    @Test
    void theTokenAndTheRateLimitHoldOverHttp2() throws Exception {
        Gateway gateway = sluice.start("""
                admin:
                  token: h2-token
                  rate_limit:
                    rate: 1
                    per: 1m
                    burst: 3
                """);
        HttpResponse<String> anonymous = send(gateway, "GET", "/api/v1/routes", null);
        assertThat(anonymous.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(send(gateway, "GET", "/api/v1/routes", null, "Authorization", "Bearer h2-token").statusCode())
                .isEqualTo(200);
        assertThat(send(gateway, "GET", "/api/v1/routes", null, "Authorization", "Bearer h2-token").statusCode())
                .isEqualTo(200);
        HttpResponse<String> limited = send(gateway, "GET", "/api/v1/routes", null, "Authorization", "Bearer h2-token");
        assertThat(limited.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("retry-after")).isPresent();
    }

    @Test
    void priorKnowledgeIsRecognisedByThePreface() throws Exception {
        Gateway gateway = sluice.start("");
        try (Socket socket = new Socket("127.0.0.1", gateway.adminPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // an empty SETTINGS frame
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] header = in.readNBytes(9);
            assertThat(header).hasSize(9);
            assertThat(header[3]).as("the server's first frame is SETTINGS").isEqualTo((byte) 4);
        }
    }

    @Test
    void aProtocolErrorIsAnsweredWithItsGoAwayCode() throws Exception {
        Gateway gateway = sluice.start("");
        try (Socket socket = new Socket("127.0.0.1", gateway.adminPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // an empty SETTINGS frame
            out.write(new byte[] {0, 0, 1, 0, 0, 0, 0, 0, 0, 'x'}); // DATA on stream 0: PROTOCOL_ERROR (RFC 9113 6.1)
            out.flush();
            InputStream in = socket.getInputStream();
            int goAwayCode = -1;
            while (goAwayCode < 0) {
                byte[] header = in.readNBytes(9);
                assertThat(header).as("the connection ended without a GOAWAY").hasSize(9);
                int length = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | header[2] & 0xff;
                byte[] payload = in.readNBytes(length);
                if (header[3] == 7) {
                    goAwayCode = java.nio.ByteBuffer.wrap(payload, 4, 4).getInt();
                }
            }
            assertThat(goAwayCode).as("GOAWAY error code").isEqualTo(1); // PROTOCOL_ERROR, not NO_ERROR
        }
    }
}

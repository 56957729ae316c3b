package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.RawHttpClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A {@code static:} route serves files itself, beside proxying routes, over HTTP/1.1 and HTTP/2. */
class StaticRouteTest {

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("api");

    @TempDir
    Path root;

    private byte[] data;
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        data = new byte[3_000_000];
        new java.util.Random(7).nextBytes(data);
        Files.write(root.resolve("image.bin"), data);
        gateway = sluice.startWithRoutes("""
                routes:
                  - name: files
                    path_prefix: /files/
                    static:
                      root: %s
                  - name: api
                    path_prefix: /
                    backends:
                      - host: 127.0.0.1
                        port: %d
                """.formatted(root, sluice.backend().port()));
    }

    @Test
    void servesAWholeFileByteIdenticalOverHttp11AndHttp2() throws Exception {
        for (HttpClient.Version version : HttpClient.Version.values()) {
            HttpClient client = HttpClient.newBuilder().version(version).build();
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.port("http") + "/files/image.bin"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.version()).isEqualTo(version);
            assertThat(sha256(response.body())).isEqualTo(sha256(data));
        }
        assertThat(sluice.backend().requestsReceived()).isZero();
    }

    @Test
    void servesRangesAndKeepsTheConnectionForTheNextRequest() throws Exception {
        try (RawHttpClient client = new RawHttpClient(gateway.port("http"))) {
            client.send("GET /files/image.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=100-199\r\n\r\n");
            RawHttpClient.Response range = client.read();
            assertThat(range.status()).isEqualTo(206);
            assertThat(range.header("content-range")).isEqualTo("bytes 100-199/3000000");
            assertThat(range.header("content-length")).isEqualTo("100");
            client.send("HEAD /files/image.bin HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttpClient.Response head = client.read(true);
            assertThat(head.header("content-length")).isEqualTo("3000000");
            assertThat(head.header("etag")).isNotBlank();
            client.send("GET /other HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.read().body()).isEqualTo("api");
        }
    }

    @Test
    void staticRouteCountsAsReadyWithoutBackends() throws Exception {
        assertThat(TestGateways.admin(gateway, "/readyz").statusCode()).isEqualTo(200);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return Arrays.toString(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}

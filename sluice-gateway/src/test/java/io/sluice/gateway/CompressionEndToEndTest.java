package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CompressionEndToEndTest {

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a");

    @Test
    void compressesProxiedTextOnlyOnRoutesThatAskAndOnlyForClientsThatAccept() throws Exception {
        Gateway gateway = sluice.startWithRoutes("""
                compression:
                  level: fast
                routes:
                  - name: squeezed
                    path_prefix: /text
                    compression:
                      enabled: true
                    backends:
                      - host: 127.0.0.1
                        port: %1$d
                  - name: plain
                    path_prefix: /
                    backends:
                      - host: 127.0.0.1
                        port: %1$d
                """.formatted(sluice.backend().port()));
        String base = "http://127.0.0.1:" + gateway.port("http");

        HttpResponse<byte[]> gzipped = send(base + "/text?bytes=20000", "gzip");
        assertThat(gzipped.headers().firstValue("content-encoding")).hasValue("gzip");
        assertThat(gzipped.headers().firstValue("vary")).hasValueSatisfying(v -> assertThat(v).containsIgnoringCase("accept-encoding"));
        assertThat(gzipped.body().length).isLessThan(2_000);
        String text = new String(new GZIPInputStream(new ByteArrayInputStream(gzipped.body())).readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(text).hasSize(20_000).startsWith("sluice streams; ");

        HttpResponse<byte[]> identity = send(base + "/text?bytes=20000", null);
        assertThat(identity.headers().firstValue("content-encoding")).isEmpty();
        assertThat(identity.body()).hasSize(20_000);

        HttpResponse<byte[]> small = send(base + "/text?bytes=100", "gzip");
        assertThat(small.headers().firstValue("content-encoding")).isEmpty();

        HttpResponse<byte[]> otherRoute = send(base + "/x/text?bytes=20000", "gzip");
        assertThat(otherRoute.headers().firstValue("content-encoding")).isEmpty();
    }

    private static HttpResponse<byte[]> send(String uri, String acceptEncoding) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10));
        if (acceptEncoding != null) {
            request.header("Accept-Encoding", acceptEncoding);
        }
        return TestGateways.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}

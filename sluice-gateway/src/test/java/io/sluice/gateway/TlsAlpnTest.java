package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A TLS listener negotiates h2 or http/1.1 by ALPN, with the PEM pair from examples/tls. */
class TlsAlpnTest {

    private static final Path TLS = Path.of("..", "examples", "tls").toAbsolutePath().normalize();

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a");

    @Test
    void negotiatesHttp2AndHttp11ByAlpn() throws Exception {
        Gateway gateway = sluice.adopt(Gateway.start(io.sluice.core.config.ConfigLoader.parse("""
                server:
                  listeners:
                    - name: https
                      host: 127.0.0.1
                      port: 0
                      protocol: https
                      tls:
                        cert: %s
                        key: %s
                admin:
                  port: 0
                backends:
                  - host: 127.0.0.1
                    port: %d
                """.formatted(TLS.resolve("localhost-cert.pem"), TLS.resolve("localhost-key.pem"), sluice.backend().port()),
                "test")));
        URI uri = URI.create("https://127.0.0.1:" + gateway.port("https") + "/echo-headers");

        HttpResponse<String> h2 = client(HttpClient.Version.HTTP_2).send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(h2.statusCode()).isEqualTo(200);
        assertThat(h2.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(h2.body()).contains("x-forwarded-proto: https");

        HttpResponse<String> h1 = client(HttpClient.Version.HTTP_1_1).send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(h1.statusCode()).isEqualTo(200);
        assertThat(h1.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    private static HttpClient client(HttpClient.Version version) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream pem = Files.newInputStream(TLS.resolve("localhost-cert.pem"))) {
            trust.setCertificateEntry("sluice-demo", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().version(version).sslContext(ssl)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }
}

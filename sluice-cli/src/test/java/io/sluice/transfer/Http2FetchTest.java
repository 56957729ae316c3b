package io.sluice.transfer;

import static io.sluice.transfer.Downloads.MIB;
import static io.sluice.transfer.Downloads.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.ConfigLoader;
import io.sluice.gateway.Gateway;
import io.sluice.transfer.http.HttpVersionPolicy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fetching over HTTP/2 from the gateway's {@code static} route: ALPN picks h2 on TLS, {@code --http 2} speaks h2c
 * with prior knowledge on cleartext, and the workers are streams sharing one connection.
 */
class Http2FetchTest {

    private static final Path TLS = Path.of("..", "examples", "tls").toAbsolutePath().normalize();
    private static final Path CERT = TLS.resolve("localhost-cert.pem");

    @TempDir
    Path root;

    @TempDir
    Path downloads;

    private Gateway gateway;
    private String sha256;

    @BeforeEach
    void serve() throws Exception {
        byte[] data = new byte[(int) (6 * MIB + 777)];
        new Random(3).nextBytes(data);
        Path file = root.resolve("image.bin");
        Files.write(file, data);
        sha256 = sha256(file);
        gateway = Gateway.start(ConfigLoader.parse("""
                server:
                  listeners:
                    - name: http
                      host: 127.0.0.1
                      port: 0
                    - name: https
                      host: 127.0.0.1
                      port: 0
                      protocol: https
                      tls:
                        cert: %s
                        key: %s
                admin:
                  enabled: false
                routes:
                  - name: files
                    path_prefix: /files/
                    static:
                      root: %s
                """.formatted(CERT, TLS.resolve("localhost-key.pem"), root), "test"));
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private FetchResult fetch(String scheme, String listener, HttpVersionPolicy version, Path out) throws Exception {
        URI url = URI.create(scheme + "://127.0.0.1:" + gateway.port(listener) + "/files/image.bin");
        return FetchJob.create(Downloads.options(url, out).workers(4).httpVersion(version)
                .trustedCertificates(CERT).build(), null).run();
    }

    @Test
    void alpnChoosesH2AndTheWorkersShareOneConnection() throws Exception {
        Path out = downloads.resolve("tls-h2.bin");
        FetchResult result = fetch("https", "https", HttpVersionPolicy.AUTO, out);

        assertThat(result.protocol()).isEqualTo("h2");
        assertThat(result.parallel()).isTrue();
        assertThat(result.workers()).isEqualTo(4);
        assertThat(result.connections()).isEqualTo(1);
        assertThat(sha256(out)).isEqualTo(sha256);
    }

    @Test
    void priorKnowledgeH2cOnCleartextWhenAsked() throws Exception {
        Path out = downloads.resolve("h2c.bin");
        FetchResult result = fetch("http", "http", HttpVersionPolicy.HTTP2, out);

        assertThat(result.protocol()).isEqualTo("h2");
        assertThat(result.connections()).isEqualTo(1);
        assertThat(sha256(out)).isEqualTo(sha256);
    }

    @Test
    void http11WhenAskedOrOnCleartextByDefault() throws Exception {
        Path tls = downloads.resolve("tls-h1.bin");
        FetchResult overTls = fetch("https", "https", HttpVersionPolicy.HTTP1, tls);
        assertThat(overTls.protocol()).isEqualTo("http/1.1");
        assertThat(overTls.connections()).isGreaterThan(1);
        assertThat(sha256(tls)).isEqualTo(sha256);

        Path plain = downloads.resolve("plain.bin");
        FetchResult cleartext = fetch("http", "http", HttpVersionPolicy.AUTO, plain);
        assertThat(cleartext.protocol()).isEqualTo("http/1.1");
        assertThat(sha256(plain)).isEqualTo(sha256);
    }
}

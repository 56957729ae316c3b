package io.sluice.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.config.ConfigLoader;
import io.sluice.gateway.Gateway;
import io.sluice.testing.TestBackend;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadGeneratorTest {

    private static BenchResult run(LoadOptions o) throws InterruptedException {
        return LoadGenerator.run(o, s -> { });
    }

    @Test
    void sendsExactlyTheRequestedNumberOfRequestsInCountMode() throws Exception {
        try (TestBackend backend = TestBackend.start("b")) {
            BenchResult r = run(LoadOptions.builder("http://127.0.0.1:" + backend.port() + "/")
                    .connections(8).threads(2).requests(1_000).build());

            assertThat(backend.requestsReceived()).isEqualTo(1_000);
            assertThat(r.requests()).isEqualTo(1_000);
            assertThat(r.totalErrors()).isZero();
            assertThat(r.bytesIn()).isPositive();
            assertThat(r.bytesOut()).isPositive();
        }
    }

    @Test
    void sendsTheBodyAndHeadersOnEveryRequest() throws Exception {
        try (TestBackend backend = TestBackend.start("b")) {
            run(LoadOptions.builder("http://127.0.0.1:" + backend.port() + "/echo-headers")
                    .method("POST").body("hello").header("X-Test", "42").connections(2).requests(10).build());

            assertThat(backend.receivedHeaders()).hasSize(10).allSatisfy(h -> {
                assertThat(h.get("x-test")).isEqualTo("42");
                assertThat(h.get("content-length")).isEqualTo("5");
            });
        }
    }

    @Test
    void warmUpRequestsAreSentButNotRecorded() throws Exception {
        try (TestBackend backend = TestBackend.start("b")) {
            BenchResult r = run(LoadOptions.builder("http://127.0.0.1:" + backend.port() + "/")
                    .connections(2).requests(50).warmup(Duration.ofMillis(300)).build());

            assertThat(r.requests()).isEqualTo(50);
            assertThat(backend.requestsReceived()).isGreaterThan(50);
        }
    }

    @Test
    void aStalledServerShowsUpInTheCorrectedTailAtAnOpenRate() throws Exception {
        try (StubServer server = StubServer.http1(100, 100)) {
            BenchResult r = run(LoadOptions.builder("http://127.0.0.1:" + server.port() + "/")
                    .connections(1).rate(200).duration(Duration.ofSeconds(2)).build());

            // ~20 requests were due during the 100 ms stall; each is charged from its intended send time.
            assertThat(r.latency().max()).isGreaterThanOrEqualTo(100);
            assertThat(r.latency().p99()).isGreaterThanOrEqualTo(50);
            // Timed from the actual send, only the one stalled request is slow: p99 hides the stall.
            assertThat(r.serviceTime().p99()).isLessThan(50);
            assertThat(r.requests()).isBetween(350L, 410L);
        }
    }

    @Test
    void http2CarriesRequestsOnConcurrentStreams() throws Exception {
        try (StubServer server = StubServer.h2c()) {
            BenchResult r = run(LoadOptions.builder("http://127.0.0.1:" + server.port() + "/")
                    .http2(true).streams(4).connections(2).requests(500).build());

            assertThat(server.requests()).isEqualTo(500);
            assertThat(r.requests()).isEqualTo(500);
            assertThat(r.totalErrors()).isZero();
            assertThat(r.setup().protocol()).isEqualTo("HTTP/2");
        }
    }

    @Test
    void drivesHttp1OverTls() throws Exception {
        try (StubServer server = StubServer.http1(-1, 0, StubServer.tls("http/1.1"))) {
            BenchResult r = run(LoadOptions.builder("https://127.0.0.1:" + server.port() + "/")
                    .insecure(true).connections(4).requests(200).build());

            assertThat(r.totalErrors()).isZero();
            assertThat(r.requests()).isEqualTo(200);
            assertThat(server.requests()).isEqualTo(200);
        }
    }

    @Test
    void drivesHttp2OverTlsNegotiatedByAlpn() throws Exception {
        try (StubServer server = StubServer.h2(StubServer.tls("h2"))) {
            BenchResult r = run(LoadOptions.builder("https://127.0.0.1:" + server.port() + "/")
                    .insecure(true).http2(true).streams(8).connections(2).requests(300).build());

            assertThat(r.totalErrors()).isZero();
            assertThat(r.requests()).isEqualTo(300);
            assertThat(server.requests()).isEqualTo(300);
            assertThat(r.setup().protocol()).isEqualTo("HTTP/2");
        }
    }

    @Test
    void anUntrustedCertificateIsAConnectErrorUnlessInsecure() throws Exception {
        try (StubServer server = StubServer.http1(-1, 0, StubServer.tls("http/1.1"))) {
            BenchResult r = run(LoadOptions.builder("https://127.0.0.1:" + server.port() + "/")
                    .connections(1).requests(5).timeout(Duration.ofSeconds(2)).build());

            assertThat(server.requests()).isZero();
            assertThat(r.totalErrors()).isPositive();
        }
    }

    @Test
    void http2MovesToANewConnectionWhenTheServerRetiresOneWithGoAway() throws Exception {
        try (TestBackend backend = TestBackend.start("b")) {
            // Sluice's gateway ends an HTTP/2 connection gracefully (GOAWAY) after 10 streams.
            Gateway gateway = Gateway.start(ConfigLoader.parse("""
                    server: {listeners: [{host: 127.0.0.1, port: 0}]}
                    connection_settings: {max_requests_per_connection: 10}
                    health_checks: {enabled: false}
                    admin: {enabled: false}
                    backends: [{host: 127.0.0.1, port: %d}]
                    """.formatted(backend.port()), "test"));
            try {
                BenchResult r = run(LoadOptions.builder("http://127.0.0.1:" + gateway.port("http") + "/")
                        .http2(true).streams(4).connections(2).requests(300).build());

                assertThat(r.errors()).as("errors by kind").allSatisfy((k, v) -> assertThat(v).isZero());
                assertThat(r.requests()).isEqualTo(300);
                assertThat(backend.requestsReceived()).isEqualTo(300);
            } finally {
                gateway.close();
            }
        }
    }

    @Test
    void countsRefusedConnectionsAsConnectErrors() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        BenchResult r = run(LoadOptions.builder("http://127.0.0.1:" + port + "/").connections(2).requests(6).build());

        assertThat(r.errors()).containsEntry("connect", 6L);
        assertThat(r.requests()).isZero();
    }

    @Test
    void countsTimeoutsAndStatusClassesByKind() throws Exception {
        try (TestBackend backend = TestBackend.start("b")) {
            BenchResult r = run(LoadOptions.builder("http://127.0.0.1:" + backend.port() + "/silent")
                    .connections(2).requests(2).timeout(Duration.ofMillis(300)).build());

            assertThat(r.errors()).containsEntry("timeout", 2L);
        }
    }

    @Test
    void jsonAndHtmlReportsCarryTheFigures(@TempDir Path dir) throws Exception {
        try (TestBackend backend = TestBackend.start("b")) {
            BenchResult r = run(LoadOptions.builder("http://127.0.0.1:" + backend.port() + "/")
                    .connections(4).rate(400).duration(Duration.ofMillis(1500)).build());
            Path json = dir.resolve("r.json");
            Path html = dir.resolve("r.html");
            JsonReport.write(r, json);
            HtmlReport.write(r, html);

            JsonNode root = new ObjectMapper().readTree(json.toFile());
            assertThat(root.path("requests").asLong()).isEqualTo(r.requests()).isPositive();
            assertThat(root.path("requests_per_second").asDouble()).isPositive();
            assertThat(root.path("latency").path("p99").asDouble()).isEqualTo(r.latency().p99());
            assertThat(root.path("latency").has("p9999")).isTrue();
            assertThat(root.path("errors").path("connect").asLong()).isZero();
            assertThat(root.path("timeline").isArray()).isTrue();
            assertThat(root.path("timeline").size()).isGreaterThanOrEqualTo(1);
            assertThat(root.path("setup").path("model").asText()).isEqualTo("open");

            String page = Files.readString(html);
            assertThat(page).startsWith("<!DOCTYPE html>").contains("<svg", "Latency by percentile",
                    "Throughput over time", "<polyline", String.format("%,d", r.requests()),
                    String.format(java.util.Locale.ROOT, "%.3f", r.latency().p99()));
            assertThat(page).doesNotContain("<script", "http://cdn", "https://");
        }
    }

    @Test
    void rejectsConflictingOptionsNamingEachOne() {
        assertThatThrownBy(() -> LoadOptions.builder("ftp://x/").connections(0).requests(5)
                .duration(Duration.ofSeconds(1)).streams(3).build())
                .hasMessageContaining("URL: ftp://x/")
                .hasMessageContaining("--connections: 0 (expected: 1..100000)")
                .hasMessageContaining("-n and -d both given")
                .hasMessageContaining("--streams: 3");
    }

    @Test
    void virtualThreadEngineSendsExactCounts() throws Exception {
        try (TestBackend backend = TestBackend.start("b")) {
            BenchResult r = run(LoadOptions.builder("http://127.0.0.1:" + backend.port() + "/")
                    .engine(LoadOptions.Engine.VIRTUAL_THREADS).connections(4).requests(300).build());

            assertThat(backend.requestsReceived()).isEqualTo(300);
            assertThat(r.requests()).isEqualTo(300);
        }
    }
}

package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.sluice.client.model.Backend;
import io.sluice.client.model.JobSpec;
import io.sluice.client.transport.Http2Mode;
import io.sluice.client.transport.Protocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The pooled transport: keep-alive reuse, per-host and idle limits, HTTP/2 multiplexing, pre-warming, gzip. */
class TransportTest {

    private static SluiceClient.Builder to(FakeServer server) {
        return SluiceClient.builder().baseUri(server.uri()).prewarm(0).retry(RetryPolicy.none());
    }

    @Test
    void sequentialRequestsReuseOneKeepAliveConnection() throws Exception {
        try (FakeServer server = FakeServer.http1(new FakeControlApi()); SluiceClient client = to(server).build()) {
            for (int i = 0; i < 20; i++) {
                client.backends("api");
            }
            assertThat(server.requests).hasSize(20);
            assertThat(server.connections).hasSize(1);
        }
    }

    @Test
    void concurrentRequestsNeverOpenMoreConnectionsThanThePerHostLimit() throws Exception {
        FakeControlApi api = new FakeControlApi();
        try (FakeServer server = FakeServer.http1(ex -> api.apply(ex).delayed(50));
             SluiceClient client = to(server).maxPerHost(4).build()) {
            List<CompletableFuture<List<Backend>>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(client.backendsAsync("api"));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get();
            assertThat(calls).allSatisfy(c -> assertThat(c.join()).hasSize(2));
            assertThat(server.connections).hasSizeBetween(2, 4);
            assertThat(server.maxInFlight.get()).isLessThanOrEqualTo(4);
        }
    }

    @Test
    void idleConnectionsBeyondMaxIdleAreClosedOnRelease() throws Exception {
        FakeControlApi api = new FakeControlApi();
        try (FakeServer server = FakeServer.http1(ex -> api.apply(ex).delayed(100));
             SluiceClient client = to(server).maxPerHost(8).maxIdle(2).build()) {
            List<CompletableFuture<List<Backend>>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(client.backendsAsync("api"));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get();
            assertThat(server.connections.size()).isGreaterThan(2);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(client.transport().idleHttp1Connections()).isLessThanOrEqualTo(2);
                assertThat(server.openConnections).hasSizeLessThanOrEqualTo(2);
            });
        }
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (FakeServer server = FakeServer.http1(new FakeControlApi());
             SluiceClient client = to(server).idleTimeout(Duration.ofMillis(300)).build()) {
            client.routes();
            assertThat(server.connections).hasSize(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections.isEmpty());
            client.routes();
            assertThat(server.connections).hasSize(2);
        }
    }

    @Test
    void h2cByPriorKnowledgeMultiplexesConcurrentRequestsOnOneConnection() throws Exception {
        FakeControlApi api = new FakeControlApi();
        try (FakeServer server = FakeServer.h2c(ex -> api.apply(ex).delayed(100));
             SluiceClient client = to(server).http2(Http2Mode.PRIOR_KNOWLEDGE).build()) {
            List<CompletableFuture<List<Backend>>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(client.backendsAsync("api"));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get();
            assertThat(server.connections).hasSize(1);
            assertThat(server.maxInFlight.get()).isGreaterThan(4);
            assertThat(server.requests).allSatisfy(ex -> assertThat(ex.http2()).isTrue());
        }
    }

    @Test
    void buildingTheClientPreWarmsConnectionsBeforeTheFirstRequest() throws Exception {
        try (FakeServer server = FakeServer.http1(new FakeControlApi());
             SluiceClient client = to(server).prewarm(3).build()) {
            client.warmedUp().get();
            // the server registers a connection on its own event loop, possibly after the client saw it connected
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connections.size() == 3);
            assertThat(server.requests).isEmpty();
            assertThat(client.transport().idleHttp1Connections()).isEqualTo(3);
            client.routes();
            assertThat(server.connections).hasSize(3);
        }
        try (FakeServer server = FakeServer.h2c(new FakeControlApi());
             SluiceClient client = to(server).http2(Http2Mode.PRIOR_KNOWLEDGE).prewarm(1).build()) {
            client.warmedUp().get();
            assertThat(client.transport().http2Connected()).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connections.size() == 1);
            client.routes();
            assertThat(server.connections).hasSize(1);
        }
    }

    @Test
    void requestBodiesAtOrAboveTheThresholdAreGzippedAndGzipResponsesAreDecoded() throws Exception {
        FakeControlApi api = new FakeControlApi();
        try (FakeServer server = FakeServer.http1(ex -> api.apply(ex).gzipped());
             SluiceClient client = to(server).gzipThreshold(1024).build()) {
            String longUrl = "http://127.0.0.1:1/" + "a".repeat(2000);
            assertThat(client.createJob(JobSpec.fetch(longUrl, "/tmp/big")).spec().url()).isEqualTo(longUrl);
            assertThat(client.createJob(JobSpec.fetch("http://127.0.0.1:1/x", "/tmp/small")).spec().output()).isEqualTo("/tmp/small");
            assertThat(server.requests.get(0).gzipped()).isTrue();
            assertThat(server.requests.get(1).gzipped()).isFalse();
            assertThat(server.requests).allSatisfy(ex -> assertThat(ex.header("accept-encoding")).contains("gzip"));
        }
    }

    @Test
    void gzipResponsesAreInflatedOverBothProtocolsAndHeldToTheResponseLimitOnceInflated() throws Exception {
        // 2 KB of JSON that gzips to a few dozen bytes
        byte[] padded = ("{\"routes\": [" + " ".repeat(2000) + "]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.util.function.Function<FakeServer.Exchange, FakeServer.Reply> handler =
                ex -> FakeServer.Reply.of(200, "application/json", padded).gzipped();
        for (boolean h2 : new boolean[] {false, true}) {
            try (FakeServer server = h2 ? FakeServer.h2c(handler) : FakeServer.http1(handler);
                 SluiceClient client = to(server).http2(h2 ? Http2Mode.PRIOR_KNOWLEDGE : Http2Mode.NEVER).build();
                 SluiceClient small = to(server).http2(h2 ? Http2Mode.PRIOR_KNOWLEDGE : Http2Mode.NEVER)
                         .maxResponseBytes(200).build()) {
                assertThat(client.routes()).isEmpty();
                assertThat(client.protocol()).isEqualTo(h2 ? Protocol.HTTP_2 : Protocol.HTTP_1_1);
                // the gzipped answer fits in 200 bytes on the wire, not once inflated
                assertThatThrownBy(small::routes).isInstanceOf(SluiceTransportException.class)
                        .hasMessageContaining("inflates to more than 200 bytes");
            }
        }
    }

    @Test
    void overTlsAlpnPicksHttp2WhenTheServerOffersItAndHttp11Otherwise() throws Exception {
        SslContext trust = SslContextBuilder.forClient()
                .trustManager(FakeServer.TLS_DIR.resolve("localhost-cert.pem").toFile())
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                .build();
        for (boolean offerH2 : new boolean[] {true, false}) {
            try (FakeServer server = FakeServer.tls(offerH2, new FakeControlApi());
                 SluiceClient client = SluiceClient.builder().baseUri("https://127.0.0.1:" + server.port())
                         .sslContext(trust).retry(RetryPolicy.none()).build()) {
                List<CompletableFuture<List<Backend>>> calls = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    calls.add(client.backendsAsync("api"));
                }
                CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get();
                assertThat(client.protocol()).isEqualTo(offerH2 ? Protocol.HTTP_2 : Protocol.HTTP_1_1);
                assertThat(server.requests).hasSize(5).allSatisfy(ex -> assertThat(ex.http2()).isEqualTo(offerH2));
                if (offerH2) {
                    assertThat(server.connections).hasSize(1);
                }
            }
        }
    }

    @Test
    void closingTheClientFromOneOfItsOwnCallbacksDoesNotDeadlock() throws Exception {
        try (FakeServer server = FakeServer.http1(new FakeControlApi())) {
            SluiceClient client = to(server).build();
            CompletableFuture<Void> closed = client.routesAsync().thenAccept(routes -> client.close());
            assertThat(closed).succeedsWithin(Duration.ofSeconds(10));
        }
    }
}

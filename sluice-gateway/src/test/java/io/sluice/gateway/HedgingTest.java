package io.sluice.gateway;

import static io.sluice.gateway.TestGateways.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Hedging ({@code retry.hedge}): a slow first attempt gets a racing second one; the first answer wins. */
class HedgingTest {

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("fast", "b", "c");

    private ScriptedServer stalled;

    @AfterEach
    void closeServer() throws Exception {
        if (stalled != null) {
            stalled.close();
        }
    }

    @Test
    void aHedgedRequestToOneStalledAndOneFastBackendGetsTheFastAnswerAndCancelsTheOther() throws Exception {
        stalled = new ScriptedServer(ScriptedServer.Mode.STALL);
        Gateway gateway = sluice.startWithRoutes(RetryReplayTest.routes(
                "    retry: {hedge: {enabled: true, delay: 50ms}}\n", stalled.port(), sluice.backend().port()));
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> response = get(gateway, "/");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("fast");
        }
        int sentToStalled = stalled.requests.get();
        assertThat(sentToStalled).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(stalled.closedByPeer.get())
                .as("every attempt left waiting on the stalled backend has its connection closed")
                .isEqualTo(sentToStalled));
        var registry = gateway.metrics().registry();
        assertThat(registry.get("sluice.hedges").tag("route", "main").counter().count()).isEqualTo(sentToStalled);
        assertThat(registry.get("sluice.hedges.won").tag("route", "main").counter().count()).isEqualTo(sentToStalled);
        assertThat(registry.find("sluice.retries").counter()).as("a hedge is not a retry").isNull();
    }

    @Test
    void underConcurrentLoadWithHedgesRacingEveryRequestIsAnsweredOnce() throws Exception {
        // A 1 ms hedge delay against 5 ms backends: most requests race two attempts, winners and losers interleave.
        Gateway gateway = sluice.startWithRoutes(RetryReplayTest.routes(
                "    retry: {hedge: {enabled: true, delay: 1ms}, budget_percent: 100}\n",
                sluice.backend(0).port(), sluice.backend(1).port(), sluice.backend(2).port()));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<HttpResponse<String>>>();
            for (int i = 0; i < 200; i++) {
                futures.add(pool.submit(() -> get(gateway, "/sleep?ms=5")));
            }
            for (var f : futures) {
                HttpResponse<String> response = f.get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isIn("fast", "b", "c");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(gateway.metrics().registry().get("sluice.hedges").counter().count()).isPositive();
        int received = sluice.backend(0).requestsReceived() + sluice.backend(1).requestsReceived()
                + sluice.backend(2).requestsReceived();
        assertThat(received).as("each request at most twice").isBetween(200, 400);
    }

    @Test
    void aPostIsNeverHedged() throws Exception {
        stalled = new ScriptedServer(ScriptedServer.Mode.STALL);
        Gateway gateway = sluice.startWithRoutes(RetryReplayTest.routes(
                "    retry: {hedge: {enabled: true, delay: 20ms}, per_try_timeout: 500ms, max_retry_attempts: 0}\n",
                stalled.port()) + "      - {host: 127.0.0.1, port: " + sluice.backend().port() + "}\n");
        HttpResponse<String> post = TestGateways.HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.port("http") + "/"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).as("the stalled try times out and, with no retries, is a 504").isEqualTo(504);
        assertThat(gateway.metrics().registry().find("sluice.hedges").counter()).isNull();
    }

    @Test
    void hedgingAfterTheObservedP95StillReturnsTheFastAnswer() throws Exception {
        stalled = new ScriptedServer(ScriptedServer.Mode.STALL);
        Gateway gateway = sluice.startWithRoutes(RetryReplayTest.routes(
                "    retry: {hedge: {enabled: true, delay: p95}}\n", stalled.port(), sluice.backend().port()));
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = get(gateway, "/");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("fast");
        }
        assertThat(gateway.metrics().registry().get("sluice.hedges.won").counter().count()).isGreaterThanOrEqualTo(1);
    }
}

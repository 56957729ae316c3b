package io.sluice.gateway;

import static io.sluice.gateway.TestGateways.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.RawHttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** server.max_concurrent_streams with its bounded wait queue (max_queue, queue_timeout), through a real gateway. */
class ConcurrencyQueueTest {

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a");

    private final ExecutorService clients = Executors.newFixedThreadPool(16);

    @AfterEach
    void stopClients() {
        clients.shutdownNow();
    }

    private CompletableFuture<HttpResponse<String>> async(Gateway gateway, String path) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return get(gateway, path);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, clients);
    }

    @Test
    void aRequestBeyondTheLimitWaitsForAFreedSlotInsteadOfGetting503() throws Exception {
        Gateway gateway = sluice.start("server:\n  max_concurrent_streams: 1\n  max_queue: 1\n  queue_timeout: 10s\n");
        CompletableFuture<HttpResponse<String>> slow = async(gateway, "/sleep?ms=700");
        Awaitility.await().until(() -> sluice.backend().requestsReceived() == 1);

        CompletableFuture<HttpResponse<String>> queued = async(gateway, "/");
        Awaitility.await().until(() -> gateway.proxy().queuedRequests() == 1);
        assertThat(sluice.backend().requestsReceived()).as("not forwarded while it waits").isEqualTo(1);

        // The queue (of one) is full: the next one is refused at once.
        HttpResponse<String> refused = get(gateway, "/");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
        assertThat(refused.body()).contains("server.max_queue");

        assertThat(slow.get().statusCode()).isEqualTo(200);
        assertThat(queued.get().statusCode()).isEqualTo(200);
        assertThat(gateway.proxy().queuedRequests()).isZero();
        var registry = gateway.metrics().registry();
        assertThat(registry.get("sluice.requests.rejected").tag("reason", "queue_full").counter().count()).isEqualTo(1);
        assertThat(registry.get("sluice.requests.queue.wait").timer().count()).isEqualTo(1);
        assertThat(registry.get("sluice.requests.queued").gauge().value()).isZero();
    }

    @Test
    void aQueuedRequestGets503WithRetryAfterOnceTheQueueTimeoutPasses() throws Exception {
        Gateway gateway = sluice.start("server:\n  max_concurrent_streams: 1\n  queue_timeout: 300ms\n");
        CompletableFuture<HttpResponse<String>> slow = async(gateway, "/sleep?ms=2000");
        Awaitility.await().until(() -> sluice.backend().requestsReceived() == 1);

        HttpResponse<String> timedOut = get(gateway, "/");

        assertThat(timedOut.statusCode()).isEqualTo(503);
        assertThat(timedOut.headers().firstValue("retry-after")).hasValue("1");
        assertThat(timedOut.body()).contains("within 300ms").contains("server.queue_timeout");
        assertThat(sluice.backend().requestsReceived()).isEqualTo(1);
        assertThat(gateway.metrics().registry().get("sluice.requests.rejected").tag("reason", "queue_timeout")
                .counter().count()).isEqualTo(1);
        assertThat(slow.get().statusCode()).isEqualTo(200);
    }

    @Test
    void underAFloodTheQueueStaysBoundedAndEverythingIsReleased() throws Exception {
        Gateway gateway = sluice.start("server:\n  max_concurrent_streams: 2\n  max_queue: 5\n  queue_timeout: 5s\n");
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            all.add(async(gateway, "/sleep?ms=200"));
        }
        int ok = 0;
        int shed = 0;
        for (CompletableFuture<HttpResponse<String>> f : all) {
            int status = f.get().statusCode();
            assertThat(status).isIn(200, 503);
            if (status == 200) {
                ok++;
            } else {
                shed++;
            }
            assertThat(gateway.proxy().queuedRequests()).isLessThanOrEqualTo(5);
        }
        assertThat(ok).isGreaterThanOrEqualTo(2);
        assertThat(shed).isPositive();
        Awaitility.await().until(() -> gateway.proxy().activeExchanges() == 0);
        assertThat(gateway.proxy().queuedRequests()).isZero();
        assertThat(get(gateway, "/").statusCode()).isEqualTo(200);
    }

    @Test
    void aClientThatLeavesWhileQueuedGivesUpItsPlace() throws Exception {
        Gateway gateway = sluice.start("server:\n  max_concurrent_streams: 1\n  max_queue: 1\n  queue_timeout: 10s\n");
        CompletableFuture<HttpResponse<String>> slow = async(gateway, "/sleep?ms=1000");
        Awaitility.await().until(() -> sluice.backend().requestsReceived() == 1);
        try (RawHttpClient leaving = new RawHttpClient(gateway.port("http"))) {
            leaving.send("POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
            Awaitility.await().until(() -> gateway.proxy().queuedRequests() == 1);
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> gateway.proxy().queuedRequests() == 0);
        assertThat(slow.get().statusCode()).isEqualTo(200);
        Awaitility.await().until(() -> gateway.proxy().activeExchanges() == 0);
        // Its slot was not leaked: the next request gets one.
        assertThat(get(gateway, "/").statusCode()).isEqualTo(200);
        assertThat(sluice.backend().requestsReceived()).isEqualTo(2);
    }
}

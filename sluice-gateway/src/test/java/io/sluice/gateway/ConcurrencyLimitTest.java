package io.sluice.gateway;

import static io.sluice.gateway.TestGateways.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConcurrencyLimitTest {

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a");

    @Test
    void requestsBeyondMaxConcurrentStreamsGet503AtOnceAndNothingLeaks() throws Exception {
        Gateway gateway = sluice.start("server:\n  max_concurrent_streams: 2\nconnection_pool:\n  max_connections: 10\n");
        List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            slow.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return get(gateway, "/sleep?ms=1500");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        Awaitility.await().until(() -> sluice.backend().requestsReceived() == 2);

        HttpResponse<String> shed = get(gateway, "/");
        assertThat(shed.statusCode()).isEqualTo(503);
        assertThat(shed.headers().firstValue("retry-after")).hasValue("1");
        assertThat(shed.body()).contains("max_concurrent_streams");
        assertThat(sluice.backend().requestsReceived()).isEqualTo(2);

        for (CompletableFuture<HttpResponse<String>> f : slow) {
            assertThat(f.get().statusCode()).isEqualTo(200);
        }
        Awaitility.await().until(() -> gateway.proxy().activeExchanges() == 0);
        assertThat(get(gateway, "/").statusCode()).isEqualTo(200);
        assertThat(gateway.metrics().registry().get("sluice.requests.rejected").tag("reason", "concurrency")
                .counter().count()).isEqualTo(1.0);
    }
}

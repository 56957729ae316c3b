package io.sluice.gateway;

import static io.sluice.gateway.TestGateways.admin;
import static io.sluice.gateway.TestGateways.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.TestBackend;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReadinessAndDrainTest {

    private final TestBackend backend = TestBackend.start("a");
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        backend.close();
    }

    @Test
    void notReadyWhileNoRouteHasABackend() throws Exception {
        gateway = TestGateways.start("");
        HttpResponse<String> ready = admin(gateway, "/readyz");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).isNotBlank();
    }

    @Test
    void readyOnceListenersAreBoundAndRoutesHaveBackends() throws Exception {
        gateway = TestGateways.start("", backend);
        assertThat(admin(gateway, "/readyz").statusCode()).isEqualTo(200);
        assertThat(admin(gateway, "/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void drainLetsAnInFlightSlowRequestFinishAndTurnsReadinessOff() throws Exception {
        gateway = TestGateways.start("", backend);
        CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return get(gateway, "/sleep?ms=1500");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Awaitility.await().until(() -> backend.requestsReceived() == 1);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(gateway::close);
        Awaitility.await().until(() -> gateway.readiness().draining());
        assertThat(gateway.readiness().isReady()).isFalse();
        HttpResponse<String> response = slow.get();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("a");
        closing.get();
        gateway = null;
    }
}

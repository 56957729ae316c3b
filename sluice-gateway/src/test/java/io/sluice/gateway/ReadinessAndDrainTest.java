package io.sluice.gateway;

import static io.sluice.gateway.TestGateways.admin;
import static io.sluice.gateway.TestGateways.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReadinessAndDrainTest {

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a");

    @Test
    void notReadyWhileNoRouteHasABackend() throws Exception {
        Gateway gateway = sluice.startWithRoutes("");
        HttpResponse<String> ready = admin(gateway, "/readyz");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).isNotBlank();
    }

    @Test
    void readyOnceListenersAreBoundAndRoutesHaveBackends() throws Exception {
        Gateway gateway = sluice.start("");
        assertThat(admin(gateway, "/readyz").statusCode()).isEqualTo(200);
        assertThat(admin(gateway, "/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void drainLetsAnInFlightSlowRequestFinishAndTurnsReadinessOff() throws Exception {
        Gateway gateway = sluice.start("");
        CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return get(gateway, "/sleep?ms=1500");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Awaitility.await().until(() -> sluice.backend().requestsReceived() == 1);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(gateway::close);
        Awaitility.await().until(() -> gateway.readiness().draining());
        assertThat(gateway.readiness().isReady()).isFalse();
        HttpResponse<String> response = slow.get();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("a");
        closing.get();
    }
}

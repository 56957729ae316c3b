package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.api.Codec;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Backends added, drained, re-weighted and removed through the control API while traffic flows: no request fails. */
class RuntimeBackendChangesTest {

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a", "b", "c");

    @Test
    void addDrainRemoveUnderLoadFailNoRequest() throws Exception {
        Gateway gateway = sluice.startFor("""
                admin:
                  rate_limit:
                    enabled: false
                """, sluice.backend(0), sluice.backend(1));
        AdminClient api = new AdminClient(gateway, Codec.JSON);
        String a = "127.0.0.1:" + sluice.backend(0).port();
        String b = "127.0.0.1:" + sluice.backend(1).port();
        String c = "127.0.0.1:" + sluice.backend(2).port();

        AtomicBoolean stop = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<String> phase = new java.util.concurrent.atomic.AtomicReference<>("warm-up");
        AtomicInteger ok = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
        List<Thread> load = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            load.add(Thread.ofPlatform().start(() -> {
                HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.port("http") + "/")).timeout(Duration.ofSeconds(10))
                        .build();
                while (!stop.get()) {
                    try {
                        HttpResponse<String> r = TestGateways.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                            ok.incrementAndGet();
                            served.computeIfAbsent(r.body(), k -> new AtomicInteger()).incrementAndGet();
                        } else {
                            failures.add("[" + phase.get() + "] " + r.statusCode() + " " + r.body());
                        }
                    } catch (Exception e) {
                        failures.add("[" + phase.get() + "] " + e);
                    }
                }
            }));
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() > 200);

        phase.set("add c (a=" + a + ", b=" + b + ", c=" + c + ")");
        assertThat(api.send("POST", "/api/v1/routes/main/backends",
                Map.of("host", "127.0.0.1", "port", sluice.backend(2).port())).status()).isEqualTo(201);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> served.containsKey("c"));

        phase.set("drain a (a=" + a + ", b=" + b + ", c=" + c + ")");
        assertThat(api.send("POST", "/api/v1/routes/main/backends/" + a + "/drain", null).status()).isEqualTo(200);
        int aBefore = served.get("a").get();
        int okBefore = ok.get();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() > okBefore + 200);
        assertThat(served.get("a").get()).isLessThanOrEqualTo(aBefore + 4); // at most what was in flight

        phase.set("weight b (a=" + a + ", b=" + b + ", c=" + c + ")");
        assertThat(api.send("PATCH", "/api/v1/routes/main/backends/" + b, Map.of("weight", 300)).status())
                .isEqualTo(200);
        phase.set("remove a (a=" + a + ", b=" + b + ", c=" + c + ")");
        assertThat(api.send("DELETE", "/api/v1/routes/main/backends/" + a, null).status()).isEqualTo(200);
        int okAfterRemove = ok.get();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() > okAfterRemove + 200);
        // the removed backend's pool closes once nothing is in flight on it
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !gateway.pools().containsKey(a));

        // and it can come back
        phase.set("re-add a (a=" + a + ", b=" + b + ", c=" + c + ")");
        assertThat(api.send("POST", "/api/v1/routes/main/backends",
                Map.of("host", "127.0.0.1", "port", sluice.backend(0).port())).status()).isEqualTo(201);
        int aAgain = served.get("a").get();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> served.get("a").get() > aAgain + 20);
        phase.set("remove c (a=" + a + ", b=" + b + ", c=" + c + ")");
        assertThat(api.send("DELETE", "/api/v1/routes/main/backends/" + c, null).status()).isEqualTo(200);
        int okEnd = ok.get();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() > okEnd + 200);

        stop.set(true);
        for (Thread t : load) {
            t.join(15_000);
        }
        assertThat(failures).as("failed requests").isEmpty();
        assertThat(ok.get()).isGreaterThan(1000);
    }
}

package io.sluice.gateway;

import static io.sluice.gateway.TestGateways.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.gateway.api.Codec;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every control API endpoint against a real gateway, in JSON and in MessagePack. */
class ControlApiEndToEndTest {

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a", "b", "c");

    private Gateway start() throws Exception {
        return sluice.startFor("""
                admin:
                  port: 0
                  rate_limit:
                    enabled: false
                """, sluice.backend(0), sluice.backend(1));
    }

    private static String addr(int port) {
        return "127.0.0.1:" + port;
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void routesAndBackendsReportTheirLiveStateAndChangeAtRuntime(Codec codec) throws Exception {
        Gateway gateway = start();
        AdminClient api = new AdminClient(gateway, codec);
        String a = addr(sluice.backend(0).port());
        String b = addr(sluice.backend(1).port());
        String c = addr(sluice.backend(2).port());

        AdminClient.Answer routes = api.get("/api/v1/routes");
        assertThat(routes.status()).isEqualTo(200);
        assertThat(routes.contentType()).isEqualTo(codec.mediaType());
        JsonNode main = routes.body().get("routes").get(0);
        assertThat(main.get("name").asText()).isEqualTo("main");
        assertThat(main.get("algorithm").asText()).isEqualTo("round_robin");
        assertThat(main.get("backends")).hasSize(2);
        JsonNode first = main.get("backends").get(0);
        assertThat(first.get("address").asText()).isEqualTo(a);
        assertThat(first.get("admin_state").asText()).isEqualTo("enabled");
        assertThat(first.get("health").asText()).isEqualTo("unknown");
        assertThat(first.get("usable").asBoolean()).isTrue();
        assertThat(first.get("weight").asInt()).isEqualTo(100);
        assertThat(first.get("pool").has("idle")).isTrue();

        assertThat(api.get("/api/v1/routes/main").body().get("name").asText()).isEqualTo("main");
        assertThat(api.get("/api/v1/routes/main/backends").body().get("backends")).hasSize(2);
        assertThat(api.get("/api/v1/routes/main/backends/" + a).body().get("address").asText()).isEqualTo(a);

        // weight
        AdminClient.Answer patched = api.send("PATCH", "/api/v1/routes/main/backends/" + a, Map.of("weight", 7));
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.body().get("weight").asInt()).isEqualTo(7);

        // drain: no new requests go to a
        AdminClient.Answer drained = api.send("POST", "/api/v1/routes/main/backends/" + a + "/drain", null);
        assertThat(drained.status()).isEqualTo(200);
        assertThat(drained.body().get("admin_state").asText()).isEqualTo("draining");
        assertThat(drained.body().get("usable").asBoolean()).isFalse();
        for (int i = 0; i < 4; i++) {
            assertThat(get(gateway, "/").body()).isEqualTo("b");
        }
        AdminClient.Answer enabled = api.send("POST", "/api/v1/routes/main/backends/" + a + "/enable", null);
        assertThat(enabled.body().get("admin_state").asText()).isEqualTo("enabled");

        // add c, then it takes traffic
        AdminClient.Answer added = api.send("POST", "/api/v1/routes/main/backends",
                Map.of("host", "127.0.0.1", "port", sluice.backend(2).port(), "weight", 50));
        assertThat(added.status()).isEqualTo(201);
        assertThat(added.headers().firstValue("location")).hasValue("/api/v1/routes/main/backends/" + c);
        assertThat(added.body().get("weight").asInt()).isEqualTo(50);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            seen.add(get(gateway, "/").body());
        }
        assertThat(seen).containsExactlyInAnyOrder("a", "b", "c");

        // remove b
        AdminClient.Answer removed = api.send("DELETE", "/api/v1/routes/main/backends/" + b, null);
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.body().get("admin_state").asText()).isEqualTo("removed");
        seen.clear();
        for (int i = 0; i < 6; i++) {
            seen.add(get(gateway, "/").body());
        }
        assertThat(seen).containsExactlyInAnyOrder("a", "c");
        List<String> addresses = new ArrayList<>();
        api.get("/api/v1/routes/main/backends").body().get("backends").forEach(n -> addresses.add(n.get("address").asText()));
        assertThat(addresses).containsExactly(a, c);
        assertThat(gateway.config().routes().get(0).backends()).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void statsReportRatesLatencyAndErrorsPerRouteAndBackend(Codec codec) throws Exception {
        Gateway gateway = start();
        for (int i = 0; i < 20; i++) {
            assertThat(get(gateway, "/").statusCode()).isEqualTo(200);
        }
        AdminClient.Answer stats = new AdminClient(gateway, codec).get("/api/v1/stats");
        assertThat(stats.status()).isEqualTo(200);
        JsonNode route = stats.body().get("routes").get(0);
        assertThat(route.get("route").asText()).isEqualTo("main");
        assertThat(route.get("requests").asLong()).isEqualTo(20);
        assertThat(route.get("requests_per_second").asDouble()).isPositive();
        assertThat(route.get("errors").asLong()).isZero();
        assertThat(route.get("latency_ms").get("p50").asDouble()).isPositive();
        assertThat(route.get("latency_ms").get("p99").asDouble())
                .isGreaterThanOrEqualTo(route.get("latency_ms").get("p50").asDouble());
        JsonNode backend = route.get("backends").get(0);
        assertThat(backend.get("responses").asLong()).isEqualTo(10);
        assertThat(backend.get("errors").asLong()).isZero();
        assertThat(stats.body().get("window_seconds").asDouble()).isPositive();
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void errorsAreProblemDetailsWithAPreciseMessage(Codec codec) throws Exception {
        Gateway gateway = start();
        AdminClient api = new AdminClient(gateway, codec);

        AdminClient.Answer noRoute = api.get("/api/v1/routes/nope/backends");
        assertThat(noRoute.status()).isEqualTo(404);
        assertThat(noRoute.contentType()).isEqualTo("application/problem+json");
        assertThat(noRoute.body().get("type").asText()).isEqualTo("https://sluice.dev/problems/not-found");
        assertThat(noRoute.body().get("status").asInt()).isEqualTo(404);
        assertThat(noRoute.body().get("detail").asText()).isEqualTo("no route named \"nope\" (routes: [main])");
        assertThat(noRoute.body().get("instance").asText()).isEqualTo("/api/v1/routes/nope/backends");

        String a = addr(sluice.backend(0).port());
        AdminClient.Answer badWeight = api.send("PATCH", "/api/v1/routes/main/backends/" + a, Map.of("weight", 0));
        assertThat(badWeight.status()).isEqualTo(422);
        assertThat(badWeight.body().get("detail").asText()).isEqualTo("weight: must be 1..1000, got 0");
        assertThat(badWeight.body().get("errors").get(0).get("field").asText()).isEqualTo("weight");

        AdminClient.Answer unknownField = api.send("POST", "/api/v1/routes/main/backends",
                Map.of("host", "127.0.0.1", "port", 1, "wieght", 3));
        assertThat(unknownField.status()).isEqualTo(422);
        assertThat(unknownField.body().get("detail").asText()).startsWith("wieght: unknown field (known: ");

        AdminClient.Answer twice = api.send("POST", "/api/v1/routes/main/backends",
                Map.of("host", "127.0.0.1", "port", sluice.backend(0).port()));
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.body().get("detail").asText()).isEqualTo("route \"main\" already has backend \"" + a + "\"");

        AdminClient.Answer wrongMethod = api.send("PUT", "/api/v1/routes", null);
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("allow")).hasValue("GET");

        AdminClient.Answer unknownJob = api.get("/api/v1/jobs/zzz");
        assertThat(unknownJob.status()).isEqualTo(404);
        assertThat(unknownJob.body().get("detail").asText()).isEqualTo("no job with id \"zzz\"");
    }

    @Test
    void contentNegotiationRefusesWhatItCannotSpeak() throws Exception {
        Gateway gateway = start();
        AdminClient api = new AdminClient(gateway, Codec.JSON);

        AdminClient.Answer xml = api.raw("GET", "/api/v1/routes", null, "Accept", "application/xml");
        assertThat(xml.status()).isEqualTo(406);
        assertThat(xml.contentType()).isEqualTo("application/problem+json");
        assertThat(xml.body().get("allowed")).hasSize(2);

        AdminClient.Answer anything = api.raw("GET", "/api/v1/routes", null, "Accept", "*/*");
        assertThat(anything.contentType()).isEqualTo("application/json");
        AdminClient.Answer preferred = api.raw("GET", "/api/v1/routes", null,
                "Accept", "application/json;q=0.5, application/msgpack");
        assertThat(preferred.contentType()).isEqualTo("application/msgpack");

        AdminClient.Answer yaml = api.raw("PATCH", "/api/v1/routes/main/backends/x:1", "weight: 3".getBytes(),
                "Content-Type", "application/yaml");
        assertThat(yaml.status()).isEqualTo(415);
        assertThat(yaml.body().get("detail").asText()).contains("Content-Type application/yaml is not supported");

        AdminClient.Answer brotli = api.raw("POST", "/api/v1/batch", "{}".getBytes(),
                "Content-Type", "application/json", "Content-Encoding", "br");
        assertThat(brotli.status()).isEqualTo(415);

        AdminClient.Answer malformed = api.raw("POST", "/api/v1/batch", "{\"operations\": [".getBytes(),
                "Content-Type", "application/json");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().get("detail").asText()).startsWith("malformed application/json body: ");
    }

    @Test
    void gzipWorksInBothDirectionsAboveTheThreshold() throws Exception {
        Gateway gateway = start();
        AdminClient api = new AdminClient(gateway, Codec.JSON);
        List<Map<String, Object>> ops = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ops.add(Map.of("method", "GET", "path", "/api/v1/routes"));
        }
        byte[] json = AdminClient.JSON.writeValueAsBytes(Map.of("operations", ops));
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(json);
        }
        AdminClient.Answer answer = api.raw("POST", "/api/v1/batch", zipped.toByteArray(),
                "Content-Type", "application/json", "Content-Encoding", "gzip", "Accept-Encoding", "gzip");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers().firstValue("content-encoding")).hasValue("gzip");
        assertThat(answer.body().get("results")).hasSize(30);

        AdminClient.Answer small = api.raw("GET", "/api/v1/jobs", null, "Accept-Encoding", "gzip");
        assertThat(small.headers().firstValue("content-encoding")).isEmpty();

        AdminClient.Answer corrupt = api.raw("POST", "/api/v1/batch", json,
                "Content-Type", "application/json", "Content-Encoding", "gzip");
        assertThat(corrupt.status()).isEqualTo(400);
        assertThat(corrupt.body().get("detail").asText()).startsWith("the body is not valid gzip");
    }

    @Test
    void bodiesAreBoundedToOneMegabyte() throws Exception {
        Gateway gateway = start();
        AdminClient api = new AdminClient(gateway, Codec.JSON);
        byte[] big = new byte[1_000_001];
        java.util.Arrays.fill(big, (byte) ' ');
        AdminClient.Answer tooBig = api.raw("POST", "/api/v1/batch", big, "Content-Type", "application/json");
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.contentType()).isEqualTo("application/problem+json");
        assertThat(tooBig.body().get("detail").asText()).contains("exceeds 1000000 bytes");
    }

    @Test
    void aClientStillSendingAnOversizedBodyGetsThe413NotAReset() throws Exception {
        // Writes 8 MB of a declared 64 MB body before reading: closing under it (as Netty's keep-alive handler does
        // after a Connection: close response) would reset the connection and can destroy the 413 unread.
        Gateway gateway = start();
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) ' ');
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.adminPort())) {
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 67108864\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            for (int i = 0; i < 128; i++) {
                out.write(chunk);
            }
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 413 ").contains("exceeds 1000000 bytes");
        }
    }
}

package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.gateway.api.Codec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** POST /api/v1/batch runs operations in order, each with its own status, and refuses oversized batches. */
class BatchTest {

    @RegisterExtension
    final GatewayExtension sluice = new GatewayExtension("a", "b");

    @ParameterizedTest
    @EnumSource(Codec.class)
    void resultsComeBackInOrderWithPartialFailures(Codec codec) throws Exception {
        Gateway gateway = sluice.startFor("", sluice.backend(0));
        AdminClient api = new AdminClient(gateway, codec);
        String a = "127.0.0.1:" + sluice.backend(0).port();
        String b = "127.0.0.1:" + sluice.backend(1).port();
        List<Map<String, Object>> ops = List.of(
                Map.of("method", "POST", "path", "/api/v1/routes/main/backends",
                        "body", Map.of("host", "127.0.0.1", "port", sluice.backend(1).port())),
                Map.of("method", "PATCH", "path", "/api/v1/routes/main/backends/" + b, "body", Map.of("weight", 0)),
                Map.of("method", "PATCH", "path", "/api/v1/routes/main/backends/" + b, "body", Map.of("weight", 9)),
                Map.of("method", "GET", "path", "/api/v1/routes/nope"),
                Map.of("method", "POST", "path", "/api/v1/routes/main/backends/" + a + "/drain"),
                Map.of("method", "POST", "path", "/api/v1/batch", "body", Map.of("operations", List.of())),
                Map.of("method", "GET", "path", "/api/v1/routes/main/backends"));
        AdminClient.Answer answer = api.send("POST", "/api/v1/batch", Map.of("operations", ops));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo(codec.mediaType());
        JsonNode results = answer.body().get("results");
        List<Integer> statuses = new ArrayList<>();
        results.forEach(r -> statuses.add(r.get("status").asInt()));
        assertThat(statuses).containsExactly(201, 422, 200, 404, 200, 422, 200);
        assertThat(results.get(1).get("body").get("detail").asText()).isEqualTo("weight: must be 1..1000, got 0");
        assertThat(results.get(2).get("body").get("weight").asInt()).isEqualTo(9);
        assertThat(results.get(5).get("body").get("detail").asText())
                .isEqualTo("operations[5].path: a batch cannot contain a batch");
        JsonNode last = results.get(6).get("body").get("backends");
        assertThat(last).hasSize(2);
        assertThat(last.get(0).get("admin_state").asText()).isEqualTo("draining");
        assertThat(last.get(1).get("weight").asInt()).isEqualTo(9);
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void aBatchIsBoundedToAThousandOperations(Codec codec) throws Exception {
        Gateway gateway = sluice.startFor("", sluice.backend(0));
        AdminClient api = new AdminClient(gateway, codec);
        List<Map<String, Object>> ops = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            ops.add(Map.of("method", "GET", "path", "/api/v1/jobs"));
        }
        AdminClient.Answer tooMany = api.send("POST", "/api/v1/batch", Map.of("operations", ops));
        assertThat(tooMany.status()).isEqualTo(413);
        assertThat(tooMany.body().get("detail").asText())
                .isEqualTo("a batch holds at most 1000 operations, got 1001; split it");

        AdminClient.Answer full = api.send("POST", "/api/v1/batch", Map.of("operations", ops.subList(0, 1000)));
        assertThat(full.status()).isEqualTo(200);
        assertThat(full.body().get("results")).hasSize(1000);

        AdminClient.Answer notAList = api.send("POST", "/api/v1/batch", Map.of("operations", "GET /"));
        assertThat(notAList.status()).isEqualTo(422);
        assertThat(notAList.body().get("detail").asText()).isEqualTo("operations: must be a list, got string");
    }
}

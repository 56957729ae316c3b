package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.client.internal.Codec;
import io.sluice.client.model.Backend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The streaming reader of a /batch answer binds successes to their types and keeps failures as problem trees. */
class BatchAnswerTest {

    private final Codec codec = new Codec();
    private final List<Call<?>> calls = List.of(Calls.backend("api", "a:1"), Calls.backend("api", "b:2"),
            Calls.backend("api", "c:3"), Calls.backend("api", "d:4"));

    @ParameterizedTest
    @EnumSource(Format.class)
    void successesAreBoundAndFailuresKeptAsTreesWhateverTheFieldOrder(Format format) throws Exception {
        ObjectMapper mapper = codec.mapper(format);
        Map<String, Object> backend = Map.of("address", "a:1", "weight", 5, "future_field", List.of(1, 2));
        byte[] answer = mapper.writeValueAsBytes(Map.of("results", List.of(
                ordered("status", 200, "body", backend),
                ordered("body", Map.of("address", "b:2"), "status", 200),          // body before its status
                ordered("status", 404, "body", Map.of("title", "Not Found", "status", 404)),
                ordered("status", 204, "extra", List.of(Map.of("x", 1))))));
        List<BatchAnswer.Outcome> outcomes = BatchAnswer.read(codec, mapper, answer, calls);
        assertThat(outcomes).extracting(BatchAnswer.Outcome::status).containsExactly(200, 200, 404, 204);
        assertThat(outcomes.get(0).body()).isInstanceOfSatisfying(Backend.class, b -> {
            assertThat(b.address()).isEqualTo("a:1");
            assertThat(b.weight()).isEqualTo(5);
        });
        assertThat(outcomes.get(1).body()).isInstanceOfSatisfying(JsonNode.class,
                n -> assertThat(n.get("address").asText()).isEqualTo("b:2"));
        assertThat(outcomes.get(2).body()).isInstanceOfSatisfying(JsonNode.class,
                n -> assertThat(n.get("title").asText()).isEqualTo("Not Found"));
        assertThat(outcomes.get(3).body()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void anAnswerThatIsNotABatchAnswerIsRefused(Format format) {
        ObjectMapper mapper = codec.mapper(format);
        assertThatThrownBy(() -> BatchAnswer.read(codec, mapper, mapper.writeValueAsBytes(List.of(1)), calls))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> BatchAnswer.read(codec, mapper, mapper.writeValueAsBytes(Map.of("results", List.of(
                Map.of("body", Map.of())))), calls)).isInstanceOf(IOException.class).hasMessage("a result has no status");
        assertThatThrownBy(() -> BatchAnswer.read(codec, codec.mapper(Format.JSON),
                "{\"results\": [{\"status\": 200".getBytes(StandardCharsets.UTF_8), calls)).isInstanceOf(IOException.class);
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}

package io.sluice.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.sluice.client.msgpack.StreamingMessagePackFactory;
import io.sluice.gateway.api.RoutesResource.BackendList;
import io.sluice.gateway.api.RoutesResource.BackendView;
import io.sluice.gateway.api.RoutesResource.PoolView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand-written backend document and batch result are byte for byte what the bean serializer writes. */
class BackendViewSerializerTest {

    /** The codecs' mappers as they were before: snake_case names and nothing registered. */
    private static final ObjectMapper BEAN_JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    private static final ObjectMapper BEAN_MSGPACK = new ObjectMapper(new StreamingMessagePackFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private static final List<BackendView> VIEWS = List.of(
            new BackendView("10.0.0.7:8080", "10.0.0.7", 8080, 250, 125, "draining", "unhealthy", true, true,
                    123_456, new PoolView(20, 7, 13, 2)),
            new BackendView("[::1]:80", "::1", 80, 1, 0, "removed", "unknown", false, false, 0, new PoolView(0, 0, 0, 0)),
            new BackendView("ünï:1", "ünï", 65535, 1000, 1000, "enabled", "healthy", false, true, Integer.MAX_VALUE,
                    new PoolView(Integer.MAX_VALUE, -1, 1 << 20, 70_000)),
            new BackendView(null, null, 0, 0, 0, null, null, false, false, 0, null));

    @Test
    void everyBackendDocumentEncodesLikeTheBeanSerializer() throws Exception {
        for (BackendView view : VIEWS) {
            assertThat(Codec.JSON.write(view)).as("JSON %s", view).isEqualTo(BEAN_JSON.writeValueAsBytes(view));
            assertThat(Codec.MSGPACK.write(view)).as("MessagePack %s", view)
                    .isEqualTo(StreamingMessagePackFactory.writeValueAsBytes(BEAN_MSGPACK, view));
        }
    }

    @Test
    void backendDocumentsInsideListsAndBatchResultsEncodeLikeTheBeanSerializer() throws Exception {
        Object list = new BackendList("api", VIEWS);
        Object batch = new BatchResource.BatchResponse(List.of(new BatchResource.BatchResult(200, VIEWS.get(0)),
                new BatchResource.BatchResult(204, null), new BatchResource.BatchResult(404,
                        new ApiException(404, "not-found", "no such backend").toProblem("/api/v1/x")),
                new BatchResource.BatchResult(200, Map.of("routes", List.of())),
                new BatchResource.BatchResult(200, nullValued())));
        for (Object doc : List.of(list, batch)) {
            assertThat(Codec.JSON.write(doc)).isEqualTo(BEAN_JSON.writeValueAsBytes(doc));
            assertThat(Codec.MSGPACK.write(doc))
                    .isEqualTo(StreamingMessagePackFactory.writeValueAsBytes(BEAN_MSGPACK, doc));
        }
    }

    private static Map<String, Object> nullValued() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("a", null);
        m.put("b", List.of(1));
        return m;
    }
}

package io.sluice.client.msgpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.sluice.client.model.Backend;
import io.sluice.client.model.PoolState;
import io.sluice.client.model.Route;
import io.sluice.client.model.RouteList;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/** The streaming generator writes exactly the bytes jackson-dataformat-msgpack's generator writes. */
class StreamingMessagePackGeneratorTest {

    private static ObjectMapper configure(ObjectMapper m) {
        return m.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    private final ObjectMapper library = configure(new ObjectMapper(new MessagePackFactory()));
    private final ObjectMapper streaming = configure(new ObjectMapper(new StreamingMessagePackFactory()));

    private void sameBytes(Object value) throws Exception {
        byte[] expected = library.writeValueAsBytes(value);
        byte[] actual = streaming.writeValueAsBytes(value);
        assertThat(actual).as("%s", value).isEqualTo(expected);
        assertThat(StreamingMessagePackFactory.writeValueAsBytes(streaming, value)).isEqualTo(expected);
        assertThat(StreamingMessagePackFactory.writeValueAsBytes(streaming, value)).as("with a reused buffer")
                .isEqualTo(expected);
    }

    @Test
    void recordsWithNestedListsAndNullsLeftOutEncodeLikeTheLibrary() throws Exception {
        List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            backends.add(new Backend("10.0.0." + i + ":8080", "10.0.0." + i, 8080, 100 + i, 100 + i, "enabled",
                    i % 7 == 0 ? "unhealthy" : "healthy", false, i % 7 != 0, i * 3L, new PoolState(20, i, 20 - i, 0)));
        }
        RouteList routes = new RouteList(List.of(new Route("api", null, "/api/", "round_robin", false, false, 34,
                backends)));
        sameBytes(routes);
        assertThat(streaming.readValue(streaming.writeValueAsBytes(routes), RouteList.class)).isEqualTo(routes);
    }

    @Test
    void everyScalarFormAndEveryHeaderSizeMatches() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        long[] ints = {0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295L, 4294967296L, Long.MAX_VALUE, -1, -32, -33,
                -128, -129, -32768, -32769, Integer.MIN_VALUE, Integer.MIN_VALUE - 1L, Long.MIN_VALUE};
        for (long v : ints) {
            m.put("l" + v, v);
            if (v == (int) v) {
                m.put("i" + v, (int) v);
            }
        }
        m.put("double", 3.25);
        m.put("float", 1.5f);
        m.put("big", new BigInteger("18446744073709551615"));
        m.put("decimal", new BigDecimal("12.5"));
        m.put("wholeDecimal", new BigDecimal("42"));
        m.put("true", true);
        m.put("null", null);
        m.put("bytes", new byte[300]);
        m.put("smallBytes", new byte[] {1, 2, 3});
        m.put("utf8", "häßlich ☃ 😀 \uD800 alone");
        for (int n : new int[] {0, 31, 32, 255, 256, 65535, 65536, 70_000}) {
            m.put("s" + n, "x".repeat(n));
        }
        for (int n : new int[] {0, 15, 16, 65536}) {
            List<Integer> list = new ArrayList<>();
            Map<String, Integer> map = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                list.add(i);
                map.put("k" + i, i);
            }
            m.put("list" + n, list);
            m.put("map" + n, map);
        }
        m.put("nested", List.of(List.of(Map.of("a", List.of())), Map.of()));
        sameBytes(m);
        sameBytes(List.of(1, "two", 3.0));
        sameBytes("root string");
        JsonNode back = streaming.readTree(streaming.writeValueAsBytes(m));
        assertThat(back.get("utf8").asText()).isEqualTo("häßlich ☃ 😀 ? alone");
        assertThat(back.get("map65536").size()).isEqualTo(65536);
    }

    @Test
    void aTreeIsWrittenToo() throws Exception {
        JsonNode tree = new ObjectMapper().readTree("{\"a\":[1,{\"b\":null,\"c\":\"d\"}],\"e\":-5.5}");
        sameBytes(tree);
    }

    @Test
    void aFieldNameWhereAValueIsExpectedIsAnError() throws Exception {
        var gen = streaming.getFactory().createGenerator(new java.io.ByteArrayOutputStream());
        gen.writeStartArray();
        assertThatThrownBy(() -> gen.writeFieldName("x")).isInstanceOf(com.fasterxml.jackson.core.JsonGenerationException.class);
    }
}

package io.sluice.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.sluice.client.Format;
import io.sluice.client.model.Backend;
import io.sluice.client.model.PoolState;
import io.sluice.client.msgpack.StreamingMessagePackFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The field-by-field backend reader gives what the record deserializer gives, for any document, in both codecs. */
class BackendDeserializerTest {

    private final Codec codec = new Codec();

    /** The SDK's mapper as it was: the same configuration, nothing registered. */
    private static ObjectMapper recordMapper(Format format) {
        ObjectMapper m = format == Format.MSGPACK ? new ObjectMapper(new StreamingMessagePackFactory()) : new ObjectMapper();
        return m.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    private static Map<String, Object> doc(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static List<Object> documents() {
        List<Object> docs = new ArrayList<>();
        docs.add(new Backend("10.0.0.7:8080", "10.0.0.7", 8080, 250, 125, "draining", "unhealthy", true, true, 5_000_000_000L,
                new PoolState(20, 7, 13, 2)));
        docs.add(new Backend("a:1", "a", 1, 1, null, "enabled", "healthy", false, false, 0, null));
        docs.add(doc());
        docs.add(doc("pool", doc("idle", 3, "future", List.of(1, doc("x", 2))), "future", doc("a", List.of(doc())),
                "weight", 9, "also_new", List.of(List.of(), "s"), "address", "b:2", "usable", true));
        docs.add(doc("address", null, "host", null, "port", null, "weight", null, "effective_weight", null,
                "admin_state", null, "health", null, "ejected", null, "usable", null, "in_flight", null, "pool", null));
        docs.add(doc("port", "8080", "weight", 5.0, "effective_weight", "7", "ejected", "true", "usable", 1,
                "in_flight", "12", "address", 42, "pool", doc("total", "3", "active", 2.0)));
        docs.add(doc("port", 5_000_000_000L, "in_flight", new java.math.BigInteger("18446744073709551615")));
        docs.add(doc("port", true));
        docs.add(doc("address", doc("x", 1)));
        docs.add(doc("pool", List.of(1, 2)));
        docs.add(doc("pool", "busy"));
        docs.add(doc("weight", 1, "weight", 2, "pool", doc("total", 1, "total", 4)));
        docs.add(List.of(doc("address", "c:3")));
        docs.add("a:1");
        docs.add(7);
        return docs;
    }

    /** The value read, or the class of the exception reading it threw. */
    private static Object outcome(ObjectMapper mapper, byte[] bytes, Class<?> type) {
        try {
            return mapper.readValue(bytes, type);
        } catch (Exception e) {
            return e.getClass();
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void everyDocumentReadsAsTheRecordDeserializerReadsIt(Format format) throws Exception {
        ObjectMapper records = recordMapper(format);
        ObjectMapper ours = codec.mapper(format);
        for (Object doc : documents()) {
            byte[] bytes = records.writeValueAsBytes(doc);
            assertThat(outcome(ours, bytes, Backend.class)).as("%s", doc)
                    .isEqualTo(outcome(records, bytes, Backend.class));
            byte[] listed = records.writeValueAsBytes(doc("backends", List.of(doc, doc)));
            assertThat(outcome(ours, listed, io.sluice.client.model.BackendList.class)).as("in a list: %s", doc)
                    .isEqualTo(outcome(records, listed, io.sluice.client.model.BackendList.class));
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void aBackendInsideALargerDocumentLeavesTheParserAfterItsObject(Format format) throws Exception {
        ObjectMapper ours = codec.mapper(format);
        Backend backend = new Backend("a:1", "a", 1, 1, 1, "enabled", "healthy", false, true, 0, new PoolState(1, 0, 1, 0));
        byte[] bytes = ours.writeValueAsBytes(doc("first", doc("x", List.of(backend)), "b", backend, "after", "yes"));
        try (JsonParser p = ours.getFactory().createParser(bytes)) {
            p.nextToken();
            p.nextToken();
            p.nextToken();
            p.skipChildren();
            assertThat(p.nextToken()).hasToString("FIELD_NAME");
            p.nextToken();
            assertThat(ours.readValue(p, Backend.class)).isEqualTo(backend);
            assertThat(p.nextToken()).hasToString("FIELD_NAME");
            assertThat(p.currentName()).isEqualTo("after");
        }
    }
}

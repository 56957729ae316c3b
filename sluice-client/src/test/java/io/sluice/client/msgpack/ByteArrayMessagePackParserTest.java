package io.sluice.client.msgpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.sluice.client.model.Backend;
import io.sluice.client.model.Job;
import io.sluice.client.model.PoolState;
import io.sluice.client.model.Route;
import io.sluice.client.model.RouteList;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.jackson.dataformat.MessagePackExtensionType;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/** The byte-array parser yields the tokens and values jackson-dataformat-msgpack's parser yields, keys canonical. */
class ByteArrayMessagePackParserTest {

    private static ObjectMapper configure(ObjectMapper m) {
        return m.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    private final ObjectMapper library = configure(new ObjectMapper(new MessagePackFactory()));
    private final ObjectMapper ours = configure(new ObjectMapper(new StreamingMessagePackFactory()));

    /** Every token with what a deserializer may ask of it, as text, from a parser run to the end of the root value. */
    private static List<String> tokens(ObjectMapper mapper, byte[] doc) throws Exception {
        List<String> out = new ArrayList<>();
        try (JsonParser p = mapper.getFactory().createParser(doc)) {
            int depth = 0;
            do {
                JsonToken t = p.nextToken();
                StringBuilder s = new StringBuilder(String.valueOf(t)).append(" name=").append(p.currentName());
                switch (t) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case VALUE_STRING -> s.append(" text=").append(p.getText());
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> s.append(' ').append(p.getNumberType()).append('=')
                            .append(p.getNumberValue()).append(" int=").append(p.getIntValue()).append(" long=")
                            .append(p.getLongValue()).append(" double=").append(p.getDoubleValue())
                            .append(" decimal=").append(p.getDecimalValue());
                    case VALUE_EMBEDDED_OBJECT -> {
                        Object o = p.getEmbeddedObject();
                        s.append(' ').append(o instanceof byte[] b ? "bytes" + Arrays.toString(b)
                                : o instanceof MessagePackExtensionType e
                                ? "ext" + e.getType() + Arrays.toString(e.getData()) : String.valueOf(o));
                    }
                    default -> { }
                }
                out.add(s.toString());
            } while (depth > 0);
        }
        return out;
    }

    private void sameTokens(byte[] doc) throws Exception {
        assertThat(tokens(ours, doc)).isEqualTo(tokens(library, doc)).isNotEmpty();
        assertThat(ours.getFactory().createParser(doc)).isInstanceOf(ByteArrayMessagePackParser.class);
    }

    private static List<Backend> backends(int n) {
        List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            backends.add(new Backend("10.0.0." + i + ":8080", "10.0.0." + i, 8080, 100 + i, i % 3 == 0 ? null : 100 + i,
                    "enabled", i % 7 == 0 ? "unhealthy" : "healthy", i % 5 == 0, i % 7 != 0, i * 3L,
                    new PoolState(20, i, 20 - i, 0)));
        }
        return backends;
    }

    @Test
    void apiDocumentsParseToTheSameTokensAndBindToTheSameRecords() throws Exception {
        RouteList routes = new RouteList(List.of(new Route("api", "example.com", "/api/", "round_robin", false, true, 34,
                backends(40)), new Route("ü-route", null, "/", "power_of_two_choices", true, false, 0, List.of())));
        byte[] doc = ours.writeValueAsBytes(routes);
        sameTokens(doc);
        assertThat(ours.readValue(doc, RouteList.class)).isEqualTo(library.readValue(doc, RouteList.class))
                .isEqualTo(routes);
        assertThat(ours.readTree(doc)).isEqualTo(library.readTree(doc));
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("id", "j-1");
        job.put("state", "running");
        job.put("progress", Map.of("size", 5_000_000_000L, "done", 1_250_000_000L, "fraction", 0.25,
                "bytes_per_second", 1.5e8));
        job.put("resumed", true);
        job.put("error", null);
        byte[] jobDoc = ours.writeValueAsBytes(job);
        sameTokens(jobDoc);
        assertThat(ours.readValue(jobDoc, Job.class)).isEqualTo(library.readValue(jobDoc, Job.class));
    }

    @Test
    void everyFormatOfTheSpecificationParsesLikeTheLibrary() throws Exception {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packMapHeader(19);
        p.packString("ints").packArrayHeader(16);
        for (long v : new long[] {0, 127, 128, 65535, 65536, 4294967295L, 4294967296L, Long.MAX_VALUE, -1, -32, -33,
                -129, -32769, Integer.MIN_VALUE, Integer.MIN_VALUE - 1L, Long.MIN_VALUE}) {
            p.packLong(v);
        }
        p.packString("uint64").packArrayHeader(2).packBigInteger(new java.math.BigInteger("18446744073709551615"));
        p.addPayload(new byte[] {(byte) 0xcf, 0, 0, 0, 0, 0, 0, 0, 7}); // a small value in the widest form
        p.packString("wide ints").packArrayHeader(3);
        p.addPayload(new byte[] {(byte) 0xd2, 0, 0, 0, 5, (byte) 0xd1, (byte) 0xff, (byte) 0xfe, (byte) 0xd0, 3});
        p.packString("floats").packArrayHeader(3).packFloat(1.5f).packDouble(-2.25).packDouble(Double.MAX_VALUE);
        p.packString("bools").packArrayHeader(3).packBoolean(true).packBoolean(false).packNil();
        p.packString("str8").packString("x".repeat(200));
        p.packString("str16").packString("y".repeat(300));
        p.packString("str32").packString("z".repeat(70_000));
        p.packString("utf8").packString("grüße, 東京 🚀");
        p.packString("bin").packArrayHeader(3).packBinaryHeader(3).addPayload(new byte[] {1, 2, 3})
                .packBinaryHeader(300).addPayload(new byte[300]).packBinaryHeader(70_000).addPayload(new byte[70_000]);
        p.packString("ext").packArrayHeader(7);
        for (int len : new int[] {1, 2, 4, 8, 16, 3, 300}) {
            p.packExtensionTypeHeader((byte) 7, len).addPayload(new byte[len]);
        }
        p.packString("array16").packArrayHeader(20);
        for (int i = 0; i < 20; i++) {
            p.packInt(i);
        }
        p.packString("map16").packMapHeader(17);
        for (int i = 0; i < 17; i++) {
            p.packString("k" + i).packArrayHeader(0);
        }
        p.packString("nested").packMapHeader(1).packString("a").packMapHeader(1).packString("b").packArrayHeader(1)
                .packMapHeader(0);
        p.packString("non-ascii kéy").packInt(1);
        p.packString("a key longer than the cache keeps, by some way").packInt(2);
        p.packInt(42).packString("an integer key");
        p.packBoolean(true).packString("a boolean key");
        p.packString("empty").packString("");
        byte[] doc = p.toByteArray();
        sameTokens(doc);
        assertThat(ours.readTree(doc)).isEqualTo(library.readTree(doc));
    }

    @Test
    void containersOfThirtyTwoBitHeadersParseLikeTheLibrary() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0xdf, 0, 0, 0, 1, (byte) 0xa1, 'a', (byte) 0xdd, 0, 0, 0, 2, 1, 2});
        out.write(new byte[] {(byte) 0xda, 0, 1, 'b'}); // a str16 holding a short string: not the smallest form
        byte[] doc = Arrays.copyOf(out.toByteArray(), 14);
        sameTokens(doc);
        byte[] keyInStr16 = {(byte) 0x81, (byte) 0xda, 0, 1, 'k', 1};
        sameTokens(keyInStr16);
    }

    @Test
    void aKeySeenBeforeIsTheSameStringInstance() throws Exception {
        byte[] doc = ours.writeValueAsBytes(new RouteList(List.of(new Route("api", null, "/", "round_robin", false,
                false, 2, backends(2)))));
        List<String> first = names(doc);
        List<String> second = names(doc);
        assertThat(second).isEqualTo(first).contains("address", "in_flight", "pool");
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i)).isSameAs(first.get(i));
        }
        byte[] address = "address".getBytes(StandardCharsets.US_ASCII);
        byte[] padded = ("xx" + "address" + "yy").getBytes(StandardCharsets.US_ASCII);
        assertThat(FieldNames.name(padded, 2, address.length)).isSameAs(FieldNames.name(address, 0, address.length))
                .isEqualTo("address");
        byte[] utf8 = "kéy".getBytes(StandardCharsets.UTF_8);
        assertThat(FieldNames.name(utf8, 0, utf8.length)).isEqualTo("kéy");
        String longName = "n".repeat(FieldNames.MAX_LENGTH + 1);
        assertThat(FieldNames.name(longName.getBytes(StandardCharsets.US_ASCII), 0, longName.length()))
                .isEqualTo(longName);
    }

    @Test
    void keysThatShareASlotEachComeBackAsThemselves() {
        // More distinct keys than places: every look-up still answers its own key, whatever it evicted.
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < FieldNames.SETS * 6; i++) {
                String key = "key-" + i;
                byte[] b = key.getBytes(StandardCharsets.US_ASCII);
                assertThat(FieldNames.name(b, 0, b.length)).isEqualTo(key);
            }
        }
    }

    private List<String> names(byte[] doc) throws Exception {
        List<String> names = new ArrayList<>();
        try (JsonParser p = ours.getFactory().createParser(doc)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME) {
                    names.add(p.currentName());
                }
            }
        }
        return names;
    }

    @Test
    void truncatedInputIsAParseErrorWithItsOffset() throws Exception {
        byte[] doc = ours.writeValueAsBytes(Map.of("address", "10.0.0.1:80", "weight", 5));
        for (int cut = 1; cut < doc.length; cut++) {
            byte[] part = Arrays.copyOf(doc, cut);
            assertThatThrownBy(() -> ours.readTree(part)).as("cut at %d", cut)
                    .isInstanceOf(JsonProcessingException.class);
        }
        assertThatThrownBy(() -> ours.readTree(new byte[] {(byte) 0xdd, 0x7f, 0, 0, 0}))
                .isInstanceOf(JsonProcessingException.class).hasMessageContaining("announced");
        assertThatThrownBy(() -> ours.readTree(new byte[] {(byte) 0x81, (byte) 0xc0, 1}))
                .isInstanceOf(JsonProcessingException.class).hasMessageContaining("key is nil");
        assertThatThrownBy(() -> ours.readTree(new byte[] {(byte) 0xc1}))
                .isInstanceOf(JsonProcessingException.class).hasMessageContaining("0xc1");
    }

    @Test
    void theEndOfTheInputEndsTheTokensAndTooDeepANestingIsRefused() throws Exception {
        try (JsonParser p = ours.getFactory().createParser(new byte[] {1})) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_NUMBER_INT);
            assertThat(p.nextToken()).isNull();
        }
        byte[] deep = new byte[5000];
        Arrays.fill(deep, (byte) 0x91); // arrays of one array each
        assertThatThrownBy(() -> ours.readTree(deep)).isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("depth");
    }

    @Test
    void aSliceOfALargerArrayIsParsedWithinItsBounds() throws Exception {
        byte[] doc = ours.writeValueAsBytes(Map.of("k", "v"));
        byte[] framed = new byte[doc.length + 4];
        framed[0] = (byte) 0xc1;
        framed[1] = (byte) 0xc1;
        System.arraycopy(doc, 0, framed, 2, doc.length);
        framed[framed.length - 1] = (byte) 0xc1;
        JsonNode node;
        try (JsonParser p = ours.getFactory().createParser(framed, 2, doc.length)) {
            node = ours.readTree(p);
            assertThat(p.nextToken()).isNull();
        }
        assertThat(node.get("k").asText()).isEqualTo("v");
    }
}

package io.sluice.transfer.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sluice.transfer.plan.ByteRange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JournalJsonTest {

    /** How journals were written before JournalJson: Jackson's pretty printer over the records. */
    private static final ObjectMapper JACKSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static Journal journal(String url, String etag, int ranges) {
        Journal j = Journal.start(url, 100L << 20, etag, "Mon, 23 Nov 2026 20:00:00 GMT", 8L << 20);
        for (int i = 0; i < ranges; i++) {
            j = j.with(CompletedRange.of(new ByteRange(i * (8L << 20), (i + 1) * (8L << 20)), 0x9abc0000 + i));
        }
        return j;
    }

    @Test
    void writesTheBytesJacksonWrote() throws Exception {
        for (Journal j : List.of(journal("http://127.0.0.1:8080/f.bin", "\"v1\"", 3),
                journal("http://h/ü path?q=\"x\"\\y\t\u0001", null, 0),
                journal("http://h/one", "W/\"weak\"", 1))) {
            assertThat(new String(JournalJson.write(j), StandardCharsets.UTF_8))
                    .isEqualTo(JACKSON.writeValueAsString(j));
        }
    }

    @Test
    void readsWhatItWroteAndWhatJacksonWrote() throws Exception {
        Journal j = journal("http://h/ü \"q\"\\\u0001", null, 4);
        assertThat(JournalJson.read(JournalJson.write(j))).isEqualTo(j);
        assertThat(JournalJson.read(JACKSON.writeValueAsBytes(j))).isEqualTo(j);
        assertThat(JournalJson.read(new ObjectMapper().writeValueAsBytes(j))).isEqualTo(j); // compact layout too
    }

    @Test
    void refusesWhatJacksonRefused() {
        String good = new String(JournalJson.write(journal("http://h/f", "\"e\"", 1)), StandardCharsets.UTF_8);
        for (String bad : List.of(
                good.replace("\"etag\"", "\"etg\""),                    // unknown field
                good.replace("\"etag\" : \"\\\"e\\\"\",\n", ""),          // missing field
                good.replace("\"size\" : 104857600", "\"size\" : null"),  // null for a number
                good.replace("\"size\" : 104857600", "\"size\" : 1.5"),   // a fraction
                good.replace("\"size\" : 104857600", "\"size\" : \"104857600\""),
                good.replace("\"size\" : 104857600", "\"size\" : 99999999999999999999"), // beyond a long
                good.replace("\"version\" : 1", "\"version\" : 4294967297"),
                good.replace("\"check\"", "\"url\" : \"x\",\n  \"check\""), // duplicate field
                good.replace("\"completed\" : [", "\"completed\" : null, \"x\" : ["),
                good + " {}",
                good + " x",
                good.substring(0, 40),
                "[]")) {
            assertThatThrownBy(() -> JournalJson.read(bad.getBytes(StandardCharsets.UTF_8)))
                    .as(bad).isInstanceOf(JournalJson.MalformedException.class);
        }
    }
}

package io.sluice.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * One flat JSON object on one line, for {@code sluice fetch --json}'s and the export's summary, written with
 * jackson-core's streaming generator: the same text {@code ObjectMapper.writeValueAsString} gave for these maps
 * (strings, numbers, booleans, null) without loading jackson-databind into a download at its very end (its classes
 * were the largest single group a fetch loaded; docs/BENCHMARKS.md, "Transfers").
 */
final class JsonLine {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private JsonLine() {}

    static String of(Map<String, ?> fields) {
        StringWriter out = new StringWriter(64 + 32 * fields.size());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, ?> e : fields.entrySet()) {
                g.writeFieldName(e.getKey());
                Object v = e.getValue();
                if (v == null || v instanceof Number || v instanceof Boolean) {
                    g.writeObject(v); // without an ObjectCodec (databind) this writes exactly these simple values
                } else {
                    g.writeString(v.toString());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }
}

package io.sluice.client.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.client.Call;
import java.io.IOException;
import java.util.List;

/**
 * The request document of {@code POST /api/v1/batch} (the answer is read by {@code BatchAnswer}):
 * {@code {"operations": [{method, path, body}, ...]}}, {@code body} left out when a call has none. Written straight
 * to the generator rather than through a list of operation records: the bean serializer's reflective accessor calls
 * were a tenth of a large batch's encoding time, and the records were garbage the moment they were written.
 */
public final class BatchWire {

    private BatchWire() {}

    /** Writes the request holding {@code calls} in order (each body with the generator's codec). */
    public static void writeRequest(JsonGenerator g, List<? extends Call<?>> calls) throws IOException {
        g.writeStartObject();
        g.writeFieldName("operations");
        g.writeStartArray();
        for (Call<?> c : calls) {
            g.writeStartObject();
            g.writeStringField("method", c.method());
            g.writeStringField("path", c.path());
            if (c.body() != null) {
                g.writeFieldName("body");
                g.writeObject(c.body());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}

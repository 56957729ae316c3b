package io.sluice.gateway.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.sluice.gateway.api.BatchResource.BatchResult;
import java.io.IOException;

/**
 * Writes one result of a batch answer, {@code {"status": n, "body": ...}} with the body left out when there is none,
 * as the bean serializer does (pinned by {@code BackendViewSerializerTest}) without its two reflective accessor calls
 * per operation; the body goes to whatever serializer its type has.
 */
final class BatchResultSerializer extends StdSerializer<BatchResult> {

    private static final SerializableString STATUS = new SerializedString("status");
    private static final SerializableString BODY = new SerializedString("body");

    BatchResultSerializer() {
        super(BatchResult.class);
    }

    @Override
    public void serialize(BatchResult result, JsonGenerator g, SerializerProvider provider) throws IOException {
        g.writeStartObject(result);
        g.writeFieldName(STATUS);
        g.writeNumber(result.status());
        if (result.body() != null) {
            g.writeFieldName(BODY);
            provider.defaultSerializeValue(result.body(), g);
        }
        g.writeEndObject();
    }
}

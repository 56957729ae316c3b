package io.sluice.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.client.internal.Codec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code /batch} answer ({@code {"results": [{status, body}, ...]}}) result by result, binding each
 * successful body straight to its call's document type: no tree of the whole answer is built and converted again,
 * which halves the decoding work of a large batch. Failed results keep their body as a tree (a problem document).
 * A body that cannot be bound fails the whole answer (it is then not what the server sends).
 */
final class BatchAnswer {

    /**
     * One result in order.
     *
     * @param body the call's document when {@code status} is 2xx and it has a type; else the body as a
     *             {@link com.fasterxml.jackson.databind.JsonNode} (null when absent)
     */
    record Outcome(int status, Object body) {}

    private BatchAnswer() {}

    /** Reads {@code answer}, encoded as {@code mapper} (one of {@code codec}'s) encodes. */
    static List<Outcome> read(Codec codec, ObjectMapper mapper, byte[] answer, List<Call<?>> calls) throws IOException {
        List<Outcome> outcomes = new ArrayList<>(calls.size());
        try (JsonParser p = mapper.getFactory().createParser(answer)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the batch answer is not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (!"results".equals(name)) {
                    p.skipChildren();
                    continue;
                }
                if (p.currentToken() != JsonToken.START_ARRAY) {
                    throw new IOException("results is not a list");
                }
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    Class<?> type = outcomes.size() < calls.size() ? calls.get(outcomes.size()).wireType() : null;
                    outcomes.add(result(codec, mapper, p, type));
                }
                if (p.currentToken() != JsonToken.END_ARRAY) {
                    throw new IOException("a result is not an object");
                }
            }
        }
        return outcomes;
    }

    private static Outcome result(Codec codec, ObjectMapper mapper, JsonParser p, Class<?> type) throws IOException {
        int status = -1;
        Object body = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("status")) {
                status = p.getIntValue();
            } else if (field.equals("body")) {
                // The server writes status first; a body before its status is kept as a tree and bound later.
                boolean bind = status >= 200 && status < 300 && type != null && value != JsonToken.VALUE_NULL;
                body = bind ? codec.reader(mapper, type).readValue(p) : mapper.readTree(p);
            } else {
                p.skipChildren();
            }
        }
        if (status < 0) {
            throw new IOException("a result has no status");
        }
        return new Outcome(status, body);
    }
}

package io.sluice.client.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.sluice.client.model.Backend;
import io.sluice.client.model.PoolState;
import java.io.IOException;

/**
 * Reads a backend's document field by field into {@link Backend}: the answer to every backend operation, so a batch
 * answer holds one per operation, and the record deserializer (a creator-property look-up and a buffered argument per
 * field, nested pool included) was a third of the SDK's time decoding a batch of 100. Values in the form the server
 * writes them (a string, an int, a boolean, null where allowed) are taken straight from the parser; any other form
 * (a number as a string, a float for an int...) goes to the same standard deserializer the record deserializer would
 * use, unknown fields are skipped as it does, and a document that is not an object is handed to it whole, so the
 * results are the same (pinned by {@code BackendDeserializerTest} against the record deserializer). A field added to
 * {@link Backend} or {@link PoolState} must be added here.
 */
final class BackendDeserializer extends DelegatingDeserializer {

    private static final long serialVersionUID = 1L;

    private BackendDeserializer(JsonDeserializer<?> recordDeserializer) {
        super(recordDeserializer);
    }

    /** Installs the deserializer in front of Jackson's own for {@link Backend}, which it keeps for other shapes. */
    static Module module() {
        return new SimpleModule("sluice-backend").setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription desc,
                                                          JsonDeserializer<?> deserializer) {
                return desc.getBeanClass() == Backend.class ? new BackendDeserializer(deserializer) : deserializer;
            }
        });
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
        return new BackendDeserializer(newDelegatee);
    }

    @Override
    public Backend deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            t = p.nextToken();
        } else if (t != JsonToken.FIELD_NAME && t != JsonToken.END_OBJECT) {
            return (Backend) _delegatee.deserialize(p, ctxt);
        }
        String address = null;
        String host = null;
        int port = 0;
        int weight = 0;
        Integer effectiveWeight = null;
        String adminState = null;
        String health = null;
        boolean ejected = false;
        boolean usable = false;
        long inFlight = 0;
        PoolState pool = null;
        for (; t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            try {
                switch (name) {
                    case "address" -> address = string(p, ctxt, v);
                    case "host" -> host = string(p, ctxt, v);
                    case "port" -> port = intValue(p, ctxt, v);
                    case "weight" -> weight = intValue(p, ctxt, v);
                    case "effective_weight" -> effectiveWeight = v == JsonToken.VALUE_NULL ? null
                            : isInt(p, v) ? Integer.valueOf(p.getIntValue()) : ctxt.readValue(p, Integer.class);
                    case "admin_state" -> adminState = string(p, ctxt, v);
                    case "health" -> health = string(p, ctxt, v);
                    case "ejected" -> ejected = booleanValue(p, ctxt, v);
                    case "usable" -> usable = booleanValue(p, ctxt, v);
                    case "in_flight" -> inFlight = v == JsonToken.VALUE_NUMBER_INT
                            && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                            ? p.getLongValue() : ctxt.readValue(p, Long.TYPE);
                    case "pool" -> pool = pool(p, ctxt, v);
                    default -> handleUnknownProperty(p, ctxt, Backend.class, name);
                }
            } catch (JsonProcessingException | RuntimeException e) {
                throw withPath(e, Backend.class, name);
            }
        }
        return new Backend(address, host, port, weight, effectiveWeight, adminState, health, ejected, usable, inFlight,
                pool);
    }

    private static PoolState pool(JsonParser p, DeserializationContext ctxt, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.START_OBJECT) {
            return ctxt.readValue(p, PoolState.class);
        }
        int total = 0;
        int active = 0;
        int idle = 0;
        int pending = 0;
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            try {
                switch (name) {
                    case "total" -> total = intValue(p, ctxt, value);
                    case "active" -> active = intValue(p, ctxt, value);
                    case "idle" -> idle = intValue(p, ctxt, value);
                    case "pending" -> pending = intValue(p, ctxt, value);
                    default -> {
                        if (!ctxt.handleUnknownProperty(p, null, PoolState.class, name)) {
                            p.skipChildren();
                        }
                    }
                }
            } catch (JsonProcessingException | RuntimeException e) {
                throw withPath(e, PoolState.class, name);
            }
        }
        return new PoolState(total, active, idle, pending);
    }

    /** A field's failure as the record deserializer reports it: a mapping exception naming the field. */
    private static JsonMappingException withPath(Exception e, Class<?> type, String field) {
        return JsonMappingException.wrapWithPath(e, type, field);
    }

    private static boolean isInt(JsonParser p, JsonToken v) throws IOException {
        return v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT;
    }

    private static String string(JsonParser p, DeserializationContext ctxt, JsonToken v) throws IOException {
        return v == JsonToken.VALUE_STRING ? p.getText() : v == JsonToken.VALUE_NULL ? null
                : ctxt.readValue(p, String.class);
    }

    private static int intValue(JsonParser p, DeserializationContext ctxt, JsonToken v) throws IOException {
        return isInt(p, v) ? p.getIntValue() : ctxt.readValue(p, Integer.TYPE);
    }

    private static boolean booleanValue(JsonParser p, DeserializationContext ctxt, JsonToken v) throws IOException {
        return v == JsonToken.VALUE_TRUE || v != JsonToken.VALUE_FALSE && ctxt.readValue(p, Boolean.TYPE);
    }
}

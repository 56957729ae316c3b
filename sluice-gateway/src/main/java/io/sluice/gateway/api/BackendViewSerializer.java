package io.sluice.gateway.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.sluice.gateway.api.RoutesResource.BackendView;
import io.sluice.gateway.api.RoutesResource.PoolView;
import java.io.IOException;

/**
 * Writes a backend's document field by field: the answer to every backend operation, so a batch answer holds one per
 * operation, and the bean serializer's reflective accessor calls (fifteen per document) were a sixth of the API
 * thread's time on a batch of 100. The bytes are the bean serializer's, names and order included (pinned by
 * {@code BackendViewSerializerTest} for both codecs), so a field added to {@link BackendView} must be added here.
 */
final class BackendViewSerializer extends StdSerializer<BackendView> {

    private static final SerializableString ADDRESS = new SerializedString("address");
    private static final SerializableString HOST = new SerializedString("host");
    private static final SerializableString PORT = new SerializedString("port");
    private static final SerializableString WEIGHT = new SerializedString("weight");
    private static final SerializableString EFFECTIVE_WEIGHT = new SerializedString("effective_weight");
    private static final SerializableString ADMIN_STATE = new SerializedString("admin_state");
    private static final SerializableString HEALTH = new SerializedString("health");
    private static final SerializableString EJECTED = new SerializedString("ejected");
    private static final SerializableString USABLE = new SerializedString("usable");
    private static final SerializableString IN_FLIGHT = new SerializedString("in_flight");
    private static final SerializableString POOL = new SerializedString("pool");
    private static final SerializableString TOTAL = new SerializedString("total");
    private static final SerializableString ACTIVE = new SerializedString("active");
    private static final SerializableString IDLE = new SerializedString("idle");
    private static final SerializableString PENDING = new SerializedString("pending");

    BackendViewSerializer() {
        super(BackendView.class);
    }

    @Override
    public void serialize(BackendView b, JsonGenerator g, SerializerProvider provider) throws IOException {
        g.writeStartObject(b);
        string(g, ADDRESS, b.address());
        string(g, HOST, b.host());
        g.writeFieldName(PORT);
        g.writeNumber(b.port());
        g.writeFieldName(WEIGHT);
        g.writeNumber(b.weight());
        g.writeFieldName(EFFECTIVE_WEIGHT);
        g.writeNumber(b.effectiveWeight());
        string(g, ADMIN_STATE, b.adminState());
        string(g, HEALTH, b.health());
        g.writeFieldName(EJECTED);
        g.writeBoolean(b.ejected());
        g.writeFieldName(USABLE);
        g.writeBoolean(b.usable());
        g.writeFieldName(IN_FLIGHT);
        g.writeNumber(b.inFlight());
        g.writeFieldName(POOL);
        PoolView pool = b.pool();
        if (pool == null) {
            g.writeNull();
        } else {
            g.writeStartObject(pool);
            g.writeFieldName(TOTAL);
            g.writeNumber(pool.total());
            g.writeFieldName(ACTIVE);
            g.writeNumber(pool.active());
            g.writeFieldName(IDLE);
            g.writeNumber(pool.idle());
            g.writeFieldName(PENDING);
            g.writeNumber(pool.pending());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void string(JsonGenerator g, SerializableString name, String value) throws IOException {
        g.writeFieldName(name);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeString(value);
        }
    }
}

package io.sluice.client.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.sluice.client.Format;
import java.io.IOException;
import java.io.UncheckedIOException;
import io.sluice.client.msgpack.StreamingMessagePackFactory;

/**
 * JSON and MessagePack with one document model: snake_case names, nulls left out, unknown properties ignored (a newer
 * server may add fields). Thread-safe.
 */
public final class Codec {

    private final ObjectMapper json = configure(new ObjectMapper());
    private final ObjectMapper msgpack = configure(new ObjectMapper(new StreamingMessagePackFactory()));

    private static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .registerModule(BackendDeserializer.module());
    }

    /** Readers bound to one type, per mapper: a reader skips the type and root-deserializer look-ups per value. */
    private final ClassValue<ObjectReader> jsonReaders = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return json.readerFor(type);
        }
    };
    private final ClassValue<ObjectReader> msgpackReaders = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return msgpack.readerFor(type);
        }
    };

    /** The reader of {@code type} for {@code mapper}, one of this codec's two. */
    public ObjectReader reader(ObjectMapper mapper, Class<?> type) {
        return (mapper == msgpack ? msgpackReaders : jsonReaders).get(type);
    }

    public ObjectMapper mapper(Format format) {
        return format == Format.MSGPACK ? msgpack : json;
    }

    /** The mapper for a response's Content-Type: MessagePack when it says so, JSON otherwise. */
    public ObjectMapper mapperFor(String contentType) {
        return contentType != null && contentType.contains("msgpack") ? msgpack : json;
    }

    public byte[] encode(Object value, Format format) {
        try {
            return format == Format.MSGPACK ? StreamingMessagePackFactory.writeValueAsBytes(msgpack, value)
                    : json.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** Writes a document token by token (see {@link BatchWire}); the generator's codec is this format's mapper. */
    @FunctionalInterface
    public interface DocumentWriter {
        void write(JsonGenerator g) throws IOException;
    }

    public byte[] encode(DocumentWriter writer, Format format) {
        try {
            if (format == Format.MSGPACK) {
                return StreamingMessagePackFactory.write(msgpack, writer::write);
            }
            BufferRecycler recycler = json.getFactory()._getBufferRecycler();
            try (ByteArrayBuilder out = new ByteArrayBuilder(recycler)) { // what writeValueAsBytes does
                try (JsonGenerator g = json.createGenerator(out)) {
                    writer.write(g);
                }
                return out.getClearAndRelease();
            } finally {
                recycler.releaseToPool();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a document: " + e.getMessage(), e);
        }
    }

    public <T> T decode(byte[] body, String contentType, Class<T> type) throws IOException {
        return mapperFor(contentType).readValue(body, type);
    }

    public <T> T convert(JsonNode node, Class<T> type) throws IOException {
        return json.treeToValue(node, type);
    }
}

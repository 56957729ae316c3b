package io.sluice.client.msgpack;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import org.msgpack.jackson.dataformat.ExtensionTypeCustomDeserializers;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * jackson-dataformat-msgpack's factory with its generator replaced by {@link StreamingMessagePackGenerator}, which
 * writes MessagePack straight into one growing byte array instead of building a node list of the whole document
 * first (the library's generator does that because a map or array header carries its entry count). Parsing is the
 * library's. The bytes are the same as the library's, so either side may use either factory.
 */
public final class StreamingMessagePackFactory extends MessagePackFactory {

    private static final long serialVersionUID = 1L;

    /** Set when extension types have their own deserializers: then byte arrays go to the library's parser too. */
    private ExtensionTypeCustomDeserializers extTypeDeserializers;

    public StreamingMessagePackFactory() {
    }

    private StreamingMessagePackFactory(StreamingMessagePackFactory src) {
        super(src);
        this.extTypeDeserializers = src.extTypeDeserializers;
    }

    @Override
    protected JsonParser _createParser(byte[] data, int offset, int len, IOContext ctxt) throws IOException {
        if (extTypeDeserializers != null) { // only the library's parser knows them
            return super._createParser(data, offset, len, ctxt);
        }
        return new ByteArrayMessagePackParser(ctxt, _parserFeatures, _objectCodec, data, offset, len);
    }

    @Override
    public MessagePackFactory setExtTypeCustomDesers(ExtensionTypeCustomDeserializers deserializers) {
        this.extTypeDeserializers = deserializers;
        return super.setExtTypeCustomDesers(deserializers);
    }

    @Override
    public JsonGenerator createGenerator(OutputStream out, JsonEncoding enc) {
        return new StreamingMessagePackGenerator(_generatorFeatures, _objectCodec, out);
    }

    /**
     * {@code mapper.writeValueAsBytes(value)} without the intermediate stream: the generator's own buffer is copied
     * once into the result. {@code mapper} must be built on this factory (it supplies the serialization config).
     */
    public static byte[] writeValueAsBytes(ObjectMapper mapper, Object value) throws IOException {
        StreamingMessagePackGenerator gen = new StreamingMessagePackGenerator(
                mapper.getFactory().getGeneratorFeatures(), mapper, null);
        try {
            mapper.writeValue(gen, value);
            return gen.toByteArray();
        } finally {
            gen.releaseForReuse();
        }
    }

    /** Writes a document token by token. */
    @FunctionalInterface
    public interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    /**
     * The bytes {@code writer} produces on a generator of this factory whose codec is {@code mapper} (so
     * {@code writeObject} serializes with its configuration); {@code mapper} must be built on this factory.
     */
    public static byte[] write(ObjectMapper mapper, Writer writer) throws IOException {
        StreamingMessagePackGenerator gen = new StreamingMessagePackGenerator(
                mapper.getFactory().getGeneratorFeatures(), mapper, null);
        try {
            writer.write(gen);
            return gen.toByteArray();
        } finally {
            gen.releaseForReuse();
        }
    }

    @Override
    public JsonFactory copy() {
        return new StreamingMessagePackFactory(this);
    }
}

package io.sluice.client.msgpack;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.Version;
import com.fasterxml.jackson.core.base.ParserMinimalBase;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.json.DupDetector;
import com.fasterxml.jackson.core.json.JsonReadContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.msgpack.jackson.dataformat.MessagePackExtensionType;

/**
 * Reads MessagePack from a byte array as Jackson tokens, the same tokens and values as jackson-dataformat-msgpack's
 * parser (0.9.11) gives (pinned by {@code ByteArrayMessagePackParserTest}), with less garbage: map keys come from
 * {@link FieldNames} instead of a new {@code String} each, and there is no {@code MessageUnpacker} with its own
 * buffers in between. Like the library's parser: a non-string key (number, boolean, binary) becomes its text; an
 * unsigned 64-bit integer is a long (or a {@link BigInteger} beyond), the other integers an int when they fit;
 * floats are doubles; binary and extension values are embedded objects ({@code byte[]},
 * {@link MessagePackExtensionType}). Unlike it: the end of the input after the root value is the end of the tokens
 * (null) rather than an error, a nil, map, array or extension value where a key belongs is an error rather than
 * a token that leaves the object without a key, and the nesting depth is bounded by the stream read constraints as
 * JSON's is.
 * Not thread-safe, like every parser.
 */
final class ByteArrayMessagePackParser extends ParserMinimalBase {

    private enum Kind { INT, LONG, BIG_INT, DOUBLE, STRING, BYTES, EXT }

    private final IOContext io;
    private final byte[] buf;
    private final int start;
    private final int end;
    private int pos;
    private ObjectCodec codec;
    private JsonReadContext context;
    /** Per open container: the keys and values (objects) or elements (arrays) still to read. */
    private long[] remaining = new long[8];
    private int depth;
    private int tokenStart;
    private boolean closed;

    private Kind kind;
    private int intValue;
    private long longValue;
    private BigInteger bigValue;
    private double doubleValue;
    private String stringValue;
    private byte[] bytesValue;
    private MessagePackExtensionType extValue;

    ByteArrayMessagePackParser(IOContext io, int features, ObjectCodec codec, byte[] buf, int offset, int length) {
        super(features, io.streamReadConstraints());
        this.io = io;
        this.codec = codec;
        this.buf = buf;
        this.start = offset;
        this.pos = offset;
        this.end = offset + length;
        this.context = JsonReadContext.createRootContext(
                Feature.STRICT_DUPLICATE_DETECTION.enabledIn(features) ? DupDetector.rootDetector(this) : null);
    }

    @Override
    public JsonToken nextToken() throws IOException {
        if (closed) {
            return null;
        }
        tokenStart = pos;
        if (depth > 0 && remaining[depth - 1] == 0) {
            JsonToken close = context.inObject() ? JsonToken.END_OBJECT : JsonToken.END_ARRAY;
            context = context.clearAndGetParent();
            depth--;
            return _updateToken(close);
        }
        if (pos >= end) {
            if (depth == 0) {
                return _updateTokenToNull();
            }
            throw new JsonEOFException(this, null, "Unexpected EOF");
        }
        boolean key = context.inObject() && _currToken != JsonToken.FIELD_NAME;
        if (depth > 0) {
            remaining[depth - 1]--;
            context.expectComma(); // counts the entry, for getCurrentIndex()
        }
        int b = buf[pos++] & 0xff;
        JsonToken t;
        if (b <= 0x7f) {
            t = integer(b);
        } else if (b >= 0xe0) {
            t = integer((byte) b);
        } else if (b <= 0x8f) {
            t = open(true, b & 0x0f, key);
        } else if (b <= 0x9f) {
            t = open(false, b & 0x0f, key);
        } else if (b <= 0xbf) {
            t = string(b & 0x1f);
        } else {
            t = switch (b) {
                case 0xc0 -> nil(key);
                case 0xc2 -> JsonToken.VALUE_FALSE;
                case 0xc3 -> JsonToken.VALUE_TRUE;
                case 0xc4 -> binary(u8());
                case 0xc5 -> binary(u16());
                case 0xc6 -> binary(length(u32()));
                case 0xc7 -> ext(u8());
                case 0xc8 -> ext(u16());
                case 0xc9 -> ext(length(u32()));
                case 0xca -> floating(Float.intBitsToFloat((int) u32()));
                case 0xcb -> floating(Double.longBitsToDouble(u64()));
                case 0xcc -> integer(u8());
                case 0xcd -> integer(u16());
                case 0xce -> integer(u32());
                case 0xcf -> unsigned64(u64());
                case 0xd0 -> integer((byte) u8());
                case 0xd1 -> integer((short) u16());
                case 0xd2 -> integer((int) u32());
                case 0xd3 -> integer(u64());
                case 0xd4 -> ext(1);
                case 0xd5 -> ext(2);
                case 0xd6 -> ext(4);
                case 0xd7 -> ext(8);
                case 0xd8 -> ext(16);
                case 0xd9 -> string(u8());
                case 0xda -> string(u16());
                case 0xdb -> string(length(u32()));
                case 0xdc -> open(false, u16(), key);
                case 0xdd -> open(false, u32(), key);
                case 0xde -> open(true, u16(), key);
                case 0xdf -> open(true, u32(), key);
                default -> throw new JsonParseException(this, String.format("never-used MessagePack byte 0x%02x", b));
            };
        }
        if (key && t != JsonToken.FIELD_NAME) {
            t = key(t);
        }
        return _updateToken(t);
    }

    // ---- values

    private JsonToken integer(long v) {
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            kind = Kind.INT;
            intValue = (int) v;
        } else {
            kind = Kind.LONG;
            longValue = v;
        }
        return JsonToken.VALUE_NUMBER_INT;
    }

    /** A uint 64 is a long even when small, a BigInteger beyond Long.MAX_VALUE (as the library has it). */
    private JsonToken unsigned64(long bits) {
        if (bits >= 0) {
            kind = Kind.LONG;
            longValue = bits;
        } else {
            kind = Kind.BIG_INT;
            bigValue = new BigInteger(Long.toUnsignedString(bits));
        }
        return JsonToken.VALUE_NUMBER_INT;
    }

    private JsonToken floating(double v) {
        kind = Kind.DOUBLE;
        doubleValue = v;
        return JsonToken.VALUE_NUMBER_FLOAT;
    }

    private JsonToken nil(boolean key) throws JsonParseException {
        if (key) {
            throw new JsonParseException(this, "a map key is nil");
        }
        return JsonToken.VALUE_NULL;
    }

    /** A string value, or a key (canonical, from {@link FieldNames}) when an object expects one. */
    private JsonToken string(int len) throws IOException {
        need(len);
        int at = pos;
        pos += len;
        if (context.inObject() && _currToken != JsonToken.FIELD_NAME) {
            context.setCurrentName(FieldNames.name(buf, at, len));
            return JsonToken.FIELD_NAME;
        }
        kind = Kind.STRING;
        stringValue = new String(buf, at, len, StandardCharsets.UTF_8);
        return JsonToken.VALUE_STRING;
    }

    private JsonToken binary(int len) throws IOException {
        need(len);
        kind = Kind.BYTES;
        bytesValue = Arrays.copyOfRange(buf, pos, pos + len);
        pos += len;
        return JsonToken.VALUE_EMBEDDED_OBJECT;
    }

    private JsonToken ext(int len) throws IOException {
        need(1);
        byte type = buf[pos++];
        need(len);
        kind = Kind.EXT;
        extValue = new MessagePackExtensionType(type, Arrays.copyOfRange(buf, pos, pos + len));
        pos += len;
        return JsonToken.VALUE_EMBEDDED_OBJECT;
    }

    private JsonToken open(boolean map, long size, boolean key) throws IOException {
        if (key) {
            throw new JsonParseException(this, "a map key is " + (map ? "a map" : "an array"));
        }
        long entries = map ? size * 2 : size;
        if (entries > end - pos) { // each entry takes at least one byte
            throw new JsonEOFException(this, null, "Unexpected EOF: " + size + (map ? " map entries" : " array elements")
                    + " announced, " + (end - pos) + " bytes left");
        }
        _streamReadConstraints.validateNestingDepth(depth + 1);
        if (depth == remaining.length) {
            remaining = Arrays.copyOf(remaining, depth * 2);
        }
        remaining[depth++] = entries;
        if (map) {
            context = context.createChildObjectContext(-1, -1);
            return JsonToken.START_OBJECT;
        }
        context = context.createChildArrayContext(-1, -1);
        return JsonToken.START_ARRAY;
    }

    /** A scalar where an object expects a key: its text is the name (numbers, booleans, UTF-8 of binary). */
    private JsonToken key(JsonToken t) throws IOException {
        String name = switch (t) {
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> String.valueOf(number());
            case VALUE_EMBEDDED_OBJECT -> {
                if (kind != Kind.BYTES) {
                    throw new JsonParseException(this, "a map key is an extension value");
                }
                yield new String(bytesValue, StandardCharsets.UTF_8);
            }
            default -> throw new JsonParseException(this, "a map key is " + t);
        };
        context.setCurrentName(name);
        return JsonToken.FIELD_NAME;
    }

    // ---- raw reads

    private void need(long n) throws JsonEOFException {
        if (n > end - pos) {
            throw new JsonEOFException(this, _currToken, "Unexpected EOF: " + n + " bytes needed, "
                    + (end - pos) + " left");
        }
    }

    private int u8() throws JsonEOFException {
        need(1);
        return buf[pos++] & 0xff;
    }

    private int u16() throws JsonEOFException {
        need(2);
        int v = (buf[pos] & 0xff) << 8 | buf[pos + 1] & 0xff;
        pos += 2;
        return v;
    }

    private long u32() throws JsonEOFException {
        need(4);
        long v = ((long) (buf[pos] & 0xff) << 24) | (buf[pos + 1] & 0xff) << 16 | (buf[pos + 2] & 0xff) << 8
                | buf[pos + 3] & 0xff;
        pos += 4;
        return v;
    }

    private long u64() throws JsonEOFException {
        long high = u32();
        return high << 32 | u32();
    }

    /** A 32-bit length as an int; beyond what a Java array holds it cannot be in the input anyway. */
    private int length(long n) throws JsonEOFException {
        need(n);
        return (int) n;
    }

    // ---- accessors

    @Override
    public String getText() {
        JsonToken t = _currToken;
        if (t == null) {
            return null;
        }
        return switch (t) {
            case VALUE_STRING -> stringValue;
            case FIELD_NAME -> context.getCurrentName();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> String.valueOf(getNumberValue());
            case VALUE_EMBEDDED_OBJECT -> kind == Kind.BYTES ? new String(bytesValue, StandardCharsets.UTF_8)
                    : String.valueOf(extValue);
            default -> t.asString();
        };
    }

    @Override
    public char[] getTextCharacters() {
        String text = getText();
        return text == null ? null : text.toCharArray();
    }

    @Override
    public boolean hasTextCharacters() {
        return false;
    }

    @Override
    public int getTextLength() {
        String text = getText();
        return text == null ? 0 : text.length();
    }

    @Override
    public int getTextOffset() {
        return 0;
    }

    @Override
    public byte[] getBinaryValue(Base64Variant variant) throws IOException {
        if (_currToken == JsonToken.VALUE_EMBEDDED_OBJECT && kind == Kind.BYTES) {
            return bytesValue;
        }
        if (_currToken == JsonToken.VALUE_STRING) {
            return variant.decode(stringValue);
        }
        throw new JsonParseException(this, "not binary: " + _currToken);
    }

    @Override
    public Object getEmbeddedObject() {
        if (_currToken != JsonToken.VALUE_EMBEDDED_OBJECT) {
            return null;
        }
        return kind == Kind.BYTES ? bytesValue : extValue;
    }

    @Override
    public Number getNumberValue() {
        numberKind();
        return number();
    }

    private Number number() {
        return switch (kind) {
            case INT -> intValue;
            case LONG -> longValue;
            case BIG_INT -> bigValue;
            default -> doubleValue;
        };
    }

    @Override
    public NumberType getNumberType() {
        if (_currToken != JsonToken.VALUE_NUMBER_INT && _currToken != JsonToken.VALUE_NUMBER_FLOAT) {
            return null;
        }
        return switch (kind) {
            case INT -> NumberType.INT;
            case LONG -> NumberType.LONG;
            case BIG_INT -> NumberType.BIG_INTEGER;
            default -> NumberType.DOUBLE;
        };
    }

    /** The kind of the current number; an {@link IllegalStateException} (as the library throws) when it is none. */
    private Kind numberKind() {
        if (_currToken != JsonToken.VALUE_NUMBER_INT && _currToken != JsonToken.VALUE_NUMBER_FLOAT
                && _currToken != JsonToken.FIELD_NAME) {
            throw new IllegalStateException("not a number: " + _currToken);
        }
        return kind;
    }

    // The narrowing conversions are the library's: plain casts, no overflow check.

    @Override
    public int getIntValue() {
        return switch (numberKind()) {
            case INT -> intValue;
            case LONG -> (int) longValue;
            case BIG_INT -> bigValue.intValue();
            default -> (int) doubleValue;
        };
    }

    @Override
    public long getLongValue() {
        return switch (numberKind()) {
            case INT -> intValue;
            case LONG -> longValue;
            case BIG_INT -> bigValue.longValue();
            default -> (long) doubleValue;
        };
    }

    @Override
    public BigInteger getBigIntegerValue() {
        return switch (numberKind()) {
            case INT -> BigInteger.valueOf(intValue);
            case LONG -> BigInteger.valueOf(longValue);
            case BIG_INT -> bigValue;
            default -> BigInteger.valueOf((long) doubleValue);
        };
    }

    @Override
    public float getFloatValue() {
        return (float) getDoubleValue();
    }

    @Override
    public double getDoubleValue() {
        return switch (numberKind()) {
            case INT -> intValue;
            case LONG -> longValue;
            case BIG_INT -> bigValue.doubleValue();
            default -> doubleValue;
        };
    }

    @Override
    public BigDecimal getDecimalValue() {
        return switch (numberKind()) {
            case INT -> BigDecimal.valueOf(intValue);
            case LONG -> BigDecimal.valueOf(longValue);
            case BIG_INT -> new BigDecimal(bigValue);
            default -> BigDecimal.valueOf(doubleValue);
        };
    }

    // ---- context, location, life cycle

    @Override
    public String currentName() {
        if (_currToken == JsonToken.START_OBJECT || _currToken == JsonToken.START_ARRAY) {
            JsonReadContext parent = context.getParent();
            return parent == null ? null : parent.getCurrentName();
        }
        return context.getCurrentName();
    }

    @Override
    @Deprecated
    public String getCurrentName() {
        return currentName();
    }

    @Override
    public void overrideCurrentName(String name) {
        JsonReadContext ctx = context;
        if (_currToken == JsonToken.START_OBJECT || _currToken == JsonToken.START_ARRAY) {
            ctx = ctx.getParent();
        }
        try {
            ctx.setCurrentName(name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public JsonStreamContext getParsingContext() {
        return context;
    }

    @Override
    public JsonLocation currentTokenLocation() {
        return new JsonLocation(io.contentReference(), tokenStart - start, -1, -1);
    }

    @Override
    public JsonLocation currentLocation() {
        return new JsonLocation(io.contentReference(), pos - start, -1, -1);
    }

    @Override
    @Deprecated
    public JsonLocation getTokenLocation() {
        return currentTokenLocation();
    }

    @Override
    @Deprecated
    public JsonLocation getCurrentLocation() {
        return currentLocation();
    }

    @Override
    protected void _handleEOF() {
    }

    @Override
    public ObjectCodec getCodec() {
        return codec;
    }

    @Override
    public void setCodec(ObjectCodec codec) {
        this.codec = codec;
    }

    @Override
    public Version version() {
        return Version.unknownVersion();
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }
}

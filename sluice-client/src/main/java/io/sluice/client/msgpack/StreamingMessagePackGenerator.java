package io.sluice.client.msgpack;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonGenerationException;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.base.GeneratorBase;
import com.fasterxml.jackson.core.json.JsonWriteContext;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * Writes MessagePack as Jackson produces it, into one growing byte array. A map or array header is reserved at its
 * largest (5 bytes) when the container opens, since its entry count is only known when it closes; then the header is
 * written at its smallest and the content moved up to it (so the output is byte for byte what msgpack-core's packer
 * writes: fixmap/fixarray, fixstr/str8, the smallest integer form, float64 for double). Field names that Jackson
 * hands over pre-encoded ({@link SerializableString}, what bean and record serializers use) are copied, not encoded
 * again. Everything reaches the {@link OutputStream} at {@link #flush()} or {@link #close()} once no container is
 * open. Not thread-safe, like every generator.
 */
final class StreamingMessagePackGenerator extends GeneratorBase {

    private static final int RESERVED = 5;

    /** Each thread keeps the buffer of its last generator (up to {@value #KEEP_BYTES}) for the next one. */
    private static final ThreadLocal<byte[]> SPARE = new ThreadLocal<>();
    private static final int KEEP_BYTES = 256 * 1024;

    private final OutputStream out;
    private byte[] buf;
    private int len;
    /** Per open container: where its reserved header starts, and how many entries it has so far. */
    private int[] headers = new int[16];
    private int[] counts = new int[16];
    private boolean[] isMap = new boolean[16];
    private int depth;

    /** @param out where the bytes go; null: keep them for {@link #toByteArray()} */
    StreamingMessagePackGenerator(int features, ObjectCodec codec, OutputStream out) {
        super(features, codec);
        this.out = out;
        byte[] spare = SPARE.get();
        if (spare != null) {
            SPARE.remove(); // a generator nested in this one on the same thread gets its own
            this.buf = spare;
        } else {
            this.buf = new byte[4096];
        }
    }

    /** Everything written, once no container is open (for a generator without an output stream). */
    byte[] toByteArray() {
        if (depth > 0) {
            throw new IllegalStateException(depth + " containers are still open");
        }
        return Arrays.copyOf(buf, len);
    }

    // ---- containers

    @Override
    public void writeStartArray() throws IOException {
        _verifyValueWrite("start an array");
        _writeContext = _writeContext.createChildArrayContext();
        open(false);
    }

    @Override
    public void writeEndArray() throws IOException {
        if (!_writeContext.inArray()) {
            _reportError("Current context not Array but " + _writeContext.typeDesc());
        }
        _writeContext = _writeContext.clearAndGetParent();
        close(0x90, 0xdc, 0xdd);
    }

    @Override
    public void writeStartObject() throws IOException {
        _verifyValueWrite("start an object");
        _writeContext = _writeContext.createChildObjectContext();
        open(true);
    }

    @Override
    public void writeEndObject() throws IOException {
        if (!_writeContext.inObject()) {
            _reportError("Current context not Object but " + _writeContext.typeDesc());
        }
        _writeContext = _writeContext.clearAndGetParent();
        close(0x80, 0xde, 0xdf);
    }

    private void open(boolean map) {
        if (depth == headers.length) {
            headers = Arrays.copyOf(headers, depth * 2);
            counts = Arrays.copyOf(counts, depth * 2);
            isMap = Arrays.copyOf(isMap, depth * 2);
        }
        ensure(RESERVED);
        headers[depth] = len;
        counts[depth] = 0;
        isMap[depth] = map;
        depth++;
        len += RESERVED;
    }

    private void close(int fix, int code16, int code32) {
        depth--;
        int at = headers[depth];
        int n = counts[depth];
        int size = n < 16 ? 1 : n < 65536 ? 3 : 5;
        int content = at + RESERVED;
        if (size < RESERVED) {
            System.arraycopy(buf, content, buf, at + size, len - content);
            len -= RESERVED - size;
        }
        if (size == 1) {
            buf[at] = (byte) (fix | n);
        } else if (size == 3) {
            buf[at] = (byte) code16;
            buf[at + 1] = (byte) (n >>> 8);
            buf[at + 2] = (byte) n;
        } else {
            buf[at] = (byte) code32;
            putInt(at + 1, n);
        }
    }

    // ---- names

    @Override
    public void writeFieldName(String name) throws IOException {
        fieldName(name);
        writeText(name);
    }

    @Override
    public void writeFieldName(SerializableString name) throws IOException {
        fieldName(name.getValue());
        byte[] utf8 = name.asUnquotedUTF8();
        writeRawString(utf8, 0, utf8.length);
    }

    private void fieldName(String name) throws IOException {
        if (_writeContext.writeFieldName(name) == JsonWriteContext.STATUS_EXPECT_VALUE) {
            _reportError("Can not write a field name, expecting a value");
        }
        counts[depth - 1]++;
    }

    // ---- values

    @Override
    protected void _verifyValueWrite(String typeMsg) throws IOException {
        if (_writeContext.writeValue() == JsonWriteContext.STATUS_EXPECT_NAME) {
            _reportError("Can not " + typeMsg + ", expecting a field name");
        }
        if (depth > 0 && !isMap[depth - 1]) {
            counts[depth - 1]++;
        }
    }

    @Override
    public void writeString(String text) throws IOException {
        if (text == null) {
            writeNull();
            return;
        }
        _verifyValueWrite("write a string");
        writeText(text);
    }

    @Override
    public void writeString(char[] text, int offset, int length) throws IOException {
        writeString(new String(text, offset, length));
    }

    @Override
    public void writeRawUTF8String(byte[] text, int offset, int length) throws IOException {
        _verifyValueWrite("write a string");
        writeRawString(text, offset, length);
    }

    @Override
    public void writeUTF8String(byte[] text, int offset, int length) throws IOException {
        writeRawUTF8String(text, offset, length);
    }

    @Override
    public void writeBinary(Base64Variant variant, byte[] data, int offset, int length) throws IOException {
        _verifyValueWrite("write binary");
        ensure(5 + length);
        if (length < 256) {
            buf[len++] = (byte) 0xc4;
            buf[len++] = (byte) length;
        } else if (length < 65536) {
            buf[len++] = (byte) 0xc5;
            buf[len++] = (byte) (length >>> 8);
            buf[len++] = (byte) length;
        } else {
            buf[len++] = (byte) 0xc6;
            putInt(len, length);
            len += 4;
        }
        System.arraycopy(data, offset, buf, len, length);
        len += length;
    }

    @Override
    public boolean canWriteBinaryNatively() {
        return true;
    }

    @Override
    public void writeNumber(int v) throws IOException {
        _verifyValueWrite("write a number");
        packLong(v);
    }

    @Override
    public void writeNumber(long v) throws IOException {
        _verifyValueWrite("write a number");
        packLong(v);
    }

    @Override
    public void writeNumber(BigInteger v) throws IOException {
        if (v == null) {
            writeNull();
            return;
        }
        _verifyValueWrite("write a number");
        packBigInteger(v);
    }

    @Override
    public void writeNumber(double v) throws IOException {
        _verifyValueWrite("write a number");
        ensure(9);
        buf[len++] = (byte) 0xcb;
        putLong(Double.doubleToRawLongBits(v));
    }

    @Override
    public void writeNumber(float v) throws IOException {
        _verifyValueWrite("write a number");
        ensure(5);
        buf[len++] = (byte) 0xca;
        putInt(len, Float.floatToRawIntBits(v));
        len += 4;
    }

    @Override
    public void writeNumber(BigDecimal v) throws IOException {
        if (v == null) {
            writeNull();
            return;
        }
        _verifyValueWrite("write a number");
        try {
            BigInteger exact = v.toBigIntegerExact();
            if (exact.bitLength() <= 64) {
                packBigInteger(exact);
                return;
            }
        } catch (ArithmeticException notAnInteger) {
            // written as a double below
        }
        ensure(9);
        buf[len++] = (byte) 0xcb;
        putLong(Double.doubleToRawLongBits(v.doubleValue()));
    }

    @Override
    public void writeNumber(String encoded) throws IOException {
        try {
            writeNumber(Long.parseLong(encoded));
        } catch (NumberFormatException notALong) {
            writeNumber(new BigDecimal(encoded));
        }
    }

    @Override
    public void writeBoolean(boolean state) throws IOException {
        _verifyValueWrite("write a boolean");
        ensure(1);
        buf[len++] = (byte) (state ? 0xc3 : 0xc2);
    }

    @Override
    public void writeNull() throws IOException {
        _verifyValueWrite("write a null");
        ensure(1);
        buf[len++] = (byte) 0xc0;
    }

    @Override
    public void writeRaw(String text) {
        throw new UnsupportedOperationException("MessagePack has no raw text");
    }

    @Override
    public void writeRaw(String text, int offset, int length) {
        throw new UnsupportedOperationException("MessagePack has no raw text");
    }

    @Override
    public void writeRaw(char[] text, int offset, int length) {
        throw new UnsupportedOperationException("MessagePack has no raw text");
    }

    @Override
    public void writeRaw(char c) {
        throw new UnsupportedOperationException("MessagePack has no raw text");
    }

    // ---- output

    @Override
    public void flush() throws IOException {
        if (out == null) {
            return;
        }
        if (depth == 0 && len > 0) {
            out.write(buf, 0, len);
            len = 0;
        }
        if (isEnabled(Feature.FLUSH_PASSED_TO_STREAM)) {
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        if (isClosed()) {
            return;
        }
        if (depth > 0 && isEnabled(Feature.AUTO_CLOSE_JSON_CONTENT)) {
            while (depth > 0) {
                if (_writeContext.inArray()) {
                    writeEndArray();
                } else {
                    writeEndObject();
                }
            }
        }
        super.close();
        if (out == null) {
            return; // toByteArray() still reads the buffer; it is not given back
        }
        if (depth == 0 && len > 0) {
            out.write(buf, 0, len);
            len = 0;
        }
        if (isEnabled(Feature.AUTO_CLOSE_TARGET)) {
            out.close();
        } else if (isEnabled(Feature.FLUSH_PASSED_TO_STREAM)) {
            out.flush();
        }
        _releaseBuffers();
    }

    /** Hands the buffer to the next generator of this thread (after {@link #toByteArray()}). */
    void releaseForReuse() {
        if (buf != null) {
            _releaseBuffers();
        }
    }

    @Override
    protected void _releaseBuffers() {
        byte[] b = buf;
        if (b != null && b.length <= KEEP_BYTES) {
            SPARE.set(b);
        }
        buf = null;
    }

    // ---- encoding (msgpack-core's choices, so that the bytes match its packer's)

    private void packLong(long v) {
        ensure(9);
        if (v < -(1L << 5)) {
            if (v < -(1L << 15)) {
                if (v < -(1L << 31)) {
                    buf[len++] = (byte) 0xd3;
                    putLong(v);
                } else {
                    buf[len++] = (byte) 0xd2;
                    putInt(len, (int) v);
                    len += 4;
                }
            } else if (v < -(1 << 7)) {
                buf[len++] = (byte) 0xd1;
                buf[len++] = (byte) (v >>> 8);
                buf[len++] = (byte) v;
            } else {
                buf[len++] = (byte) 0xd0;
                buf[len++] = (byte) v;
            }
        } else if (v < (1 << 7)) {
            buf[len++] = (byte) v;
        } else if (v < (1L << 16)) {
            if (v < (1 << 8)) {
                buf[len++] = (byte) 0xcc;
                buf[len++] = (byte) v;
            } else {
                buf[len++] = (byte) 0xcd;
                buf[len++] = (byte) (v >>> 8);
                buf[len++] = (byte) v;
            }
        } else if (v < (1L << 32)) {
            buf[len++] = (byte) 0xce;
            putInt(len, (int) v);
            len += 4;
        } else {
            buf[len++] = (byte) 0xcf;
            putLong(v);
        }
    }

    private void packBigInteger(BigInteger v) throws IOException {
        if (v.bitLength() <= 63) {
            packLong(v.longValue());
        } else if (v.bitLength() == 64 && v.signum() == 1) {
            ensure(9);
            buf[len++] = (byte) 0xcf;
            putLong(v.longValue());
        } else {
            throw new JsonGenerationException("MessagePack cannot hold the integer " + v + " (more than 64 bits)", this);
        }
    }

    private void writeStringHeader(int length) {
        if (length < 32) {
            buf[len++] = (byte) (0xa0 | length);
        } else if (length < 256) {
            buf[len++] = (byte) 0xd9;
            buf[len++] = (byte) length;
        } else if (length < 65536) {
            buf[len++] = (byte) 0xda;
            buf[len++] = (byte) (length >>> 8);
            buf[len++] = (byte) length;
        } else {
            buf[len++] = (byte) 0xdb;
            putInt(len, length);
            len += 4;
        }
    }

    private void writeRawString(byte[] utf8, int offset, int length) {
        ensure(5 + length);
        writeStringHeader(length);
        System.arraycopy(utf8, offset, buf, len, length);
        len += length;
    }

    /** UTF-8 as {@link String#getBytes} makes it (an unpaired surrogate becomes '?'), without the intermediate array. */
    private void writeText(String s) {
        int chars = s.length();
        int utf8 = 0;
        for (int i = 0; i < chars; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                utf8++;
            } else if (c < 0x800) {
                utf8 += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(s.charAt(i + 1))) {
                utf8 += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                utf8++;
            } else {
                utf8 += 3;
            }
        }
        ensure(5 + utf8);
        writeStringHeader(utf8);
        byte[] b = buf;
        int n = len;
        for (int i = 0; i < chars; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[n++] = (byte) c;
            } else if (c < 0x800) {
                b[n++] = (byte) (0xc0 | (c >> 6));
                b[n++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[n++] = (byte) (0xf0 | (cp >> 18));
                b[n++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                b[n++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                b[n++] = (byte) (0x80 | (cp & 0x3f));
            } else if (Character.isSurrogate(c)) {
                b[n++] = (byte) '?';
            } else {
                b[n++] = (byte) (0xe0 | (c >> 12));
                b[n++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                b[n++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        len = n;
    }

    private void putInt(int at, int v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    private void putLong(long v) {
        putInt(len, (int) (v >>> 32));
        putInt(len + 4, (int) v);
        len += 8;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}

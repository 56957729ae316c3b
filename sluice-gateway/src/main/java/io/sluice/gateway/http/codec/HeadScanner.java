package io.sluice.gateway.http.codec;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * A byte-level validator for the head (start line + field lines) of one HTTP/1.x message, run over the raw
 * bytes before Netty's decoder sees them.
 *
 * <p>Why raw bytes: Netty's {@code HttpObjectDecoder} repairs some ambiguous input before any hook of ours
 * runs — it unfolds obsolete line folding, treats HTAB/VT/FF/CR as separators in the start line, and skips
 * whitespace before the colon in responses — and its header splitting is private. Repairs are exactly what
 * request smuggling feeds on (RFC 9112 §11.2), so this class rejects the message instead. It also decides
 * framing from the raw field lines (Content-Length / Transfer-Encoding, RFC 9112 §6.1 and §6.3), so the
 * decision cannot depend on how Netty combines or normalises the values.
 *
 * <p>Cost: a table-driven state machine that looks at every byte of the head exactly once, across however
 * many reads the head arrives in ({@link #scan} resumes where it stopped). It never looks at bodies: after the
 * blank line that ends the head it stops until the owner calls {@link #nextMessage()}. It allocates nothing.
 * The head's bytes are copied into a small per-thread array and walked in a plain loop, with tight inner loops
 * over the long runs (request-target, field values): {@code ByteBuf.forEachByte} would call a
 * {@code ByteProcessor} per byte through a call site Netty's own decoders share, which the JIT cannot inline.
 *
 * <p>Not thread-safe; one instance per decoder, used on its event loop.
 */
final class HeadScanner {

    // Start line, request form: method SP request-target SP HTTP-version CRLF (RFC 9112 §3).
    private static final int PRE = 0;            // before the start line: CRLF pairs are tolerated (RFC 9112 §2.2)
    private static final int PRE_CR = 1;
    private static final int METHOD = 2;
    private static final int TARGET_START = 3;
    private static final int TARGET = 4;
    private static final int REQ_VERSION = 5;
    // Start line, response form: HTTP-version SP 3DIGIT [SP reason-phrase] CRLF (RFC 9112 §4).
    private static final int RES_VERSION = 6;
    private static final int STATUS = 7;
    private static final int REASON = 8;
    // Field lines (RFC 9112 §5).
    private static final int LINE_CR = 9;         // saw CR ending a line, need LF
    private static final int FIELD_START = 10;
    private static final int NAME = 11;
    private static final int VALUE = 12;
    private static final int END_CR = 13;         // saw CR of the blank line, need LF
    private static final int EARLY_CR = 14;       // CR inside the request line: bare CR, or a line ending too soon
    // Every state above is "inside the head" (see inHead); keep these two last.
    private static final int DONE = 15;           // head complete and valid; body bytes are not ours
    private static final int FAILED = 16;

    private static final byte[] HTTP_SLASH = {'H', 'T', 'T', 'P', '/'};
    private static final byte[] CONTENT_LENGTH = lower("content-length");
    private static final byte[] TRANSFER_ENCODING = lower("transfer-encoding");
    private static final byte[] CHUNKED = lower("chunked");

    /** tchar from RFC 9110 §5.6.2: the only bytes allowed in a method or a field name. */
    private static final boolean[] TCHAR = new boolean[256];
    /** VCHAR / obs-text: what may appear in a field value or reason phrase besides SP and HTAB. */
    private static final boolean[] FIELD_VCHAR = new boolean[256];
    /** FIELD_VCHAR plus SP and HTAB: every byte a field value may hold. */
    private static final boolean[] VALUE_BYTE = new boolean[256];

    /** Bytes copied out of the buffer per step; a typical head fits in one. */
    private static final int CHUNK = 256;
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[CHUNK];
        }
    };

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
        for (int c = 0x21; c <= 0xFF; c++) {
            FIELD_VCHAR[c] = c != 0x7F;
            VALUE_BYTE[c] = c != 0x7F;
        }
        VALUE_BYTE[' '] = true;
        VALUE_BYTE['\t'] = true;
    }

    private final boolean request;

    private int state;
    private int pos;                 // position inside the current token (version, status, name)
    private int versionMinor;
    private int versionMajor;
    private int fieldCount;
    private String failure;
    private String ifLineEnds;        // reason to report in EARLY_CR when the CR turns out to end the line

    // Framing fields, collected while scanning.
    private boolean nameMayBeCl;
    private boolean nameMayBeTe;
    private int capturing;           // 0: none, 1: Content-Length value, 2: Transfer-Encoding value
    private int valueState;          // 0: leading OWS, 1: token, 2: trailing OWS, 3: malformed
    private long clValue;
    private int teMatched;
    private int clCount;
    private boolean clMalformed;
    private int teCount;
    private boolean teNotChunked;

    /** Bytes after the buffer's reader index that were already scanned; they are not scanned twice. */
    private int scannedAhead;

    HeadScanner(boolean request) {
        this.request = request;
        nextMessage();
    }

    /** Prepares for the head of the next message on the connection. */
    void nextMessage() {
        state = PRE;
        pos = 0;
        versionMajor = versionMinor = -1;
        fieldCount = 0;
        failure = null;
        capturing = 0;
        clCount = 0;
        clMalformed = false;
        teCount = 0;
        teNotChunked = false;
        scannedAhead = 0;
    }

    /** True while a head is being read; false once it ended (body, if any, is the decoder's business). */
    boolean inHead() {
        return state < DONE;
    }

    /** Tells the scanner the decoder consumed {@code n} bytes from the reader index. */
    void consumed(int n) {
        scannedAhead = Math.max(0, scannedAhead - n);
    }

    /**
     * Scans the readable bytes not scanned before, stopping at the end of the head.
     *
     * @return {@code null} while the head is acceptable so far, else why it is not.
     */
    String scan(ByteBuf in) {
        if (state == FAILED) {
            return failure;
        }
        if (state == DONE) {
            return null;
        }
        int from = in.readerIndex() + scannedAhead;
        int end = in.writerIndex();
        byte[] chunk = SCRATCH.get();
        while (from < end) {
            int n = Math.min(CHUNK, end - from);
            in.getBytes(from, chunk, 0, n);
            int stop = scanChunk(chunk, n);
            if (stop >= 0) {
                from += stop + 1;
                break;
            }
            from += n;
        }
        scannedAhead = from - in.readerIndex();
        return state == FAILED ? failure : null;
    }

    /** Feeds {@code n} bytes to the state machine; the index of the byte it stopped at (head ended or failed), or -1. */
    private int scanChunk(byte[] bytes, int n) {
        for (int i = 0; i < n; i++) {
            int b = bytes[i] & 0xFF;
            if (state == VALUE && capturing == 0) {
                // Most of a head is field values nobody needs to look into: skip the valid bytes in one loop.
                while (VALUE_BYTE[b]) {
                    if (++i == n) {
                        return -1;
                    }
                    b = bytes[i] & 0xFF;
                }
            } else if (state == TARGET) {
                while (b > 0x20 && b < 0x7F) {
                    if (++i == n) {
                        return -1;
                    }
                    b = bytes[i] & 0xFF;
                }
            } else if (state == REASON) {
                while (VALUE_BYTE[b]) {
                    if (++i == n) {
                        return -1;
                    }
                    b = bytes[i] & 0xFF;
                }
            } else if (state == FIELD_START && TCHAR[b]) {
                int colon = wholeName(bytes, i, n);
                if (colon >= 0) {
                    i = colon; // the name and its colon are consumed; the value starts after
                    continue;
                }
            }
            if (!step(b)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A field name that lies whole in {@code bytes}, colon included, is taken in one go: only its length and, for
     * the two framing names, its letters need a look. Returns the colon's index, or -1 when the name is cut off by
     * the end of the chunk or is not followed directly by a colon; the byte-by-byte path then takes it (and reports
     * what is wrong with it).
     */
    private int wholeName(byte[] bytes, int start, int n) {
        int end = start;
        while (end < n && TCHAR[bytes[end] & 0xFF]) {
            end++;
        }
        if (end == n || bytes[end] != ':') {
            return -1;
        }
        fieldCount++;
        int length = end - start;
        state = VALUE;
        valueState = 0;
        if (length == CONTENT_LENGTH.length && equalsLower(bytes, start, CONTENT_LENGTH)) {
            capturing = 1;
            clValue = 0;
        } else if (length == TRANSFER_ENCODING.length && equalsLower(bytes, start, TRANSFER_ENCODING)) {
            capturing = 2;
            teMatched = 0;
        } else {
            capturing = 0;
        }
        return end;
    }

    private static boolean equalsLower(byte[] bytes, int start, byte[] lower) {
        for (int k = 0; k < lower.length; k++) {
            int b = bytes[start + k];
            if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != lower[k]) {
                return false;
            }
        }
        return true;
    }

    /** One byte of the head; false when the head ended or failed. */
    private boolean step(int b) {
        switch (state) {
            case PRE:
                if (b == '\r') {
                    state = PRE_CR;
                    return true;
                }
                if (b == '\n') {
                    return fail("bare LF before the start line");
                }
                if (request) {
                    state = METHOD;
                    return method(b);
                }
                state = RES_VERSION;
                pos = 0;
                return responseVersion(b);
            case PRE_CR:
                if (b != '\n') {
                    return fail("bare CR before the start line");
                }
                state = PRE;
                return true;
            case METHOD:
                return method(b);
            case TARGET_START:
                if (b > 0x20 && b < 0x7F) {
                    state = TARGET;
                    return true;
                }
                if (b == '\r') {
                    return earlyCr("missing request-target");
                }
                if (b == '\n' || b == ' ') {
                    return fail("missing request-target");
                }
                return fail("invalid character in request-target");
            case TARGET:
                if (b > 0x20 && b < 0x7F) {
                    return true;
                }
                if (b == ' ') {
                    state = REQ_VERSION;
                    pos = 0;
                    return true;
                }
                if (b == '\r') {
                    return earlyCr("missing HTTP version in request line");
                }
                if (b == '\n') {
                    return fail("missing HTTP version in request line");
                }
                return fail("invalid character in request-target");
            case REQ_VERSION:
                if (pos == 8) {
                    if (b == '\r') {
                        state = LINE_CR;
                        return true;
                    }
                    return fail(b == '\n' ? "bare LF in request line" : "invalid HTTP version");
                }
                return version(b) || fail("invalid HTTP version");
            case RES_VERSION:
                return responseVersion(b);
            case STATUS:
                if (pos < 3) {
                    if (b < '0' || b > '9') {
                        return fail("invalid status code");
                    }
                    pos++;
                    return true;
                }
                if (b == ' ') {
                    state = REASON;
                    return true;
                }
                if (b == '\r') {
                    state = LINE_CR;
                    return true;
                }
                return fail("invalid status code");
            case REASON:
                if (b == '\r') {
                    state = LINE_CR;
                    return true;
                }
                if (b == ' ' || b == '\t' || FIELD_VCHAR[b]) {
                    return true;
                }
                return fail(b == '\n' ? "bare LF in status line" : "control character in reason phrase");
            case LINE_CR:
                if (b != '\n') {
                    return fail("bare CR in message head");
                }
                state = FIELD_START;
                return true;
            case FIELD_START:
                return fieldStart(b);
            case NAME:
                return name(b);
            case VALUE:
                return value(b);
            case EARLY_CR:
                return fail(b == '\n' ? ifLineEnds : "bare CR in request line");
            case END_CR:
                if (b != '\n') {
                    return fail("bare CR in message head");
                }
                return endOfHead();
            default:
                return false;
        }
    }

    private boolean method(int b) {
        if (TCHAR[b]) {
            pos++;
            return true;
        }
        if (b == ' ' && pos > 0) {
            state = TARGET_START;
            return true;
        }
        if (b == '\r') {
            return earlyCr("incomplete request line");
        }
        if (b == '\n') {
            return fail("incomplete request line");
        }
        return fail("invalid method token");
    }

    private boolean responseVersion(int b) {
        if (pos == 8) {
            if (b != ' ') {
                return fail("invalid HTTP version in status line");
            }
            state = STATUS;
            pos = 0;
            return true;
        }
        return version(b) || fail("invalid HTTP version in status line");
    }

    /** Matches one byte of {@code HTTP/1.0} or {@code HTTP/1.1}; only those are spoken here. */
    private boolean version(int b) {
        if (pos < 5) {
            if (b != HTTP_SLASH[pos]) {
                return false;
            }
        } else if (pos == 5) {
            if (b != '1') {
                return false;
            }
            versionMajor = 1;
        } else if (pos == 6) {
            if (b != '.') {
                return false;
            }
        } else {
            if (b != '0' && b != '1') {
                return false;
            }
            versionMinor = b - '0';
        }
        pos++;
        return true;
    }

    private boolean fieldStart(int b) {
        if (b == '\r') {
            state = END_CR;
            return true;
        }
        if (b == ' ' || b == '\t') {
            return fail(fieldCount == 0
                    ? "whitespace between the start line and the first header field"
                    : "obsolete line folding in header");
        }
        if (b == '\n') {
            return fail("bare LF in message head");
        }
        if (b == ':') {
            return fail("empty header name");
        }
        if (!TCHAR[b]) {
            return fail("invalid character in header name");
        }
        fieldCount++;
        state = NAME;
        pos = 0;
        nameMayBeCl = true;
        nameMayBeTe = true;
        return name(b);
    }

    private boolean name(int b) {
        if (TCHAR[b]) {
            int lower = b >= 'A' && b <= 'Z' ? b + 32 : b;
            nameMayBeCl &= pos < CONTENT_LENGTH.length && CONTENT_LENGTH[pos] == lower;
            nameMayBeTe &= pos < TRANSFER_ENCODING.length && TRANSFER_ENCODING[pos] == lower;
            pos++;
            return true;
        }
        if (b == ':') {
            state = VALUE;
            valueState = 0;
            if (nameMayBeCl && pos == CONTENT_LENGTH.length) {
                capturing = 1;
                clValue = 0;
            } else if (nameMayBeTe && pos == TRANSFER_ENCODING.length) {
                capturing = 2;
                teMatched = 0;
            } else {
                capturing = 0;
            }
            return true;
        }
        if (b == ' ' || b == '\t') {
            return fail("whitespace between header name and colon");
        }
        if (b == '\r' || b == '\n') {
            return fail("header line without colon");
        }
        return fail("invalid character in header name");
    }

    private boolean value(int b) {
        if (b == '\r') {
            endOfField();
            state = LINE_CR;
            return true;
        }
        if (b == ' ' || b == '\t') {
            if (valueState == 1) {
                valueState = 2;
            }
            return true;
        }
        if (!FIELD_VCHAR[b]) {
            if (b == '\n') {
                return fail("bare LF in header");
            }
            return fail(b == 0 ? "NUL in header value" : "control character in header value");
        }
        if (capturing != 0) {
            capture(b);
        }
        return true;
    }

    private void capture(int b) {
        if (valueState == 2 || valueState == 3) {
            valueState = 3;   // a second token after whitespace, e.g. "5 5" or "chunked x"
            return;
        }
        valueState = 1;
        if (capturing == 1) {
            if (b < '0' || b > '9' || clValue > (Long.MAX_VALUE - (b - '0')) / 10) {
                valueState = 3;
                return;
            }
            clValue = clValue * 10 + (b - '0');
        } else {
            int lower = b >= 'A' && b <= 'Z' ? b + 32 : b;
            if (teMatched < CHUNKED.length && CHUNKED[teMatched] == lower) {
                teMatched++;
            } else {
                valueState = 3;
            }
        }
    }

    private void endOfField() {
        if (capturing == 1) {
            clCount++;
            clMalformed |= valueState == 0 || valueState == 3;
        } else if (capturing == 2) {
            teCount++;
            teNotChunked |= valueState == 0 || valueState == 3 || teMatched != CHUNKED.length;
        }
        capturing = 0;
    }

    /** The blank line: the head is lexically fine; now decide whether its framing is unambiguous. */
    private boolean endOfHead() {
        if (clCount > 0 && teCount > 0) {
            return fail("both Content-Length and Transfer-Encoding present");
        }
        if (clCount > 1) {
            return fail("multiple Content-Length header fields");
        }
        if (clMalformed) {
            return fail("malformed Content-Length");
        }
        if (teCount > 0 && versionMinor == 0) {
            return fail("Transfer-Encoding in an HTTP/1.0 message");
        }
        if (teCount > 1) {
            return fail("multiple Transfer-Encoding header fields");
        }
        if (teNotChunked) {
            return fail("Transfer-Encoding other than chunked");
        }
        state = DONE;
        return false;
    }

    private boolean earlyCr(String reasonIfLineEnds) {
        ifLineEnds = reasonIfLineEnds;
        state = EARLY_CR;
        return true;
    }

    private boolean fail(String reason) {
        failure = reason;
        state = FAILED;
        return false;
    }

    private static byte[] lower(String s) {
        byte[] bytes = new byte[s.length()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) s.charAt(i);
        }
        return bytes;
    }
}

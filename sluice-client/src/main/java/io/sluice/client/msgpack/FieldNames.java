package io.sluice.client.msgpack;

import java.nio.charset.StandardCharsets;

/**
 * Canonical {@code String}s for MessagePack map keys, looked up by their raw UTF-8 bytes so that a key seen before
 * costs no allocation: documents repeat the same few dozen keys ({@code address}, {@code status}, {@code body}...)
 * in every object. A fixed table of {@value #SETS} sets of two names, picked by a hash of the bytes; a new key takes
 * the first place of its set and moves the previous one to the second (two keys sharing a set both stay), the one
 * in the second place is dropped, so the table never grows whatever keys a peer sends. Only ASCII keys of up to
 * {@value #MAX_LENGTH} bytes are kept (their bytes compare with the chars one to one); any other key is decoded as
 * before.
 *
 * <p>Shared by every thread without locking: a slot holds a reference to an immutable {@code String}, which is
 * safely published even through a racy write (its fields are final); a reader that sees a stale or replaced entry
 * compares its bytes anyway and only takes it when they match.
 */
final class FieldNames {

    static final int SETS = 1024;
    private static final int SET_BITS = 10;
    static final int MAX_LENGTH = 32;

    private static final String[] TABLE = new String[SETS * 2];

    private FieldNames() {}

    /** The key {@code buf[off, off + len)} as a string: the cached instance when there is one. */
    static String name(byte[] buf, int off, int len) {
        if (len > MAX_LENGTH) {
            return new String(buf, off, len, StandardCharsets.UTF_8);
        }
        int h = len;
        for (int i = off, end = off + len; i < end; i++) {
            byte b = buf[i];
            if (b < 0) { // not ASCII
                return new String(buf, off, len, StandardCharsets.UTF_8);
            }
            h = 31 * h + b;
        }
        int slot = ((h * 0x9E3779B9) >>> (32 - SET_BITS)) * 2; // Fibonacci hashing: the top bits are well mixed
        String first = TABLE[slot];
        if (first != null && matches(first, buf, off, len)) {
            return first;
        }
        String second = TABLE[slot + 1];
        if (second != null && matches(second, buf, off, len)) {
            return second;
        }
        String name = new String(buf, off, len, StandardCharsets.ISO_8859_1); // ASCII: the same as UTF-8
        TABLE[slot + 1] = first;
        TABLE[slot] = name;
        return name;
    }

    private static boolean matches(String s, byte[] buf, int off, int len) {
        if (s.length() != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (s.charAt(i) != buf[off + i]) {
                return false;
            }
        }
        return true;
    }
}

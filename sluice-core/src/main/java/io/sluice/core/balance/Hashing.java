package io.sluice.core.balance;

/**
 * A fast 64-bit hash for consistent hashing: FNV-1a over the input, then MurmurHash3's {@code fmix64}
 * finaliser so that similar inputs (addresses differing in one byte) spread over the whole range. Stable
 * across runs and JVMs, unlike {@link String#hashCode()}-based schemes with random seeds; not for security.
 */
final class Hashing {

    static final long SEED_OFFSET = 0x9E3779B97F4A7C15L;
    static final long SEED_SKIP = 0xC2B2AE3D27D4EB4FL;
    static final long SEED_KEY = 0x165667B19E3779F9L;

    private static final long FNV_PRIME = 0x100000001B3L;

    private Hashing() {}

    static long hash(CharSequence s, long seed) {
        long h = seed;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            h = (h ^ (c & 0xFF)) * FNV_PRIME;
            h = (h ^ (c >>> 8)) * FNV_PRIME;
        }
        return fmix64(h);
    }

    static long hash(byte[] bytes, long seed) {
        long h = seed;
        for (byte b : bytes) {
            h = (h ^ (b & 0xFF)) * FNV_PRIME;
        }
        return fmix64(h);
    }

    private static long fmix64(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB93FE53B20A1L;
        h ^= h >>> 33;
        return h;
    }
}

package io.sluice.core.balance;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Consistent hashing on a ring (Karger et al., 1997; the ring-hash of Envoy and Ketama): every backend owns
 * {@code 160 × weight / 100} points on a 64-bit ring and a key goes to the first point at or after its hash. When one
 * of N backends leaves, only its keys move (about 1/N of them) and every other key keeps its backend — the promise
 * {@code ip_hash} makes, which Maglev's table only approximates. Lookup is a binary search over the points.
 *
 * <p>The key is the client address, or a request header or cookie when configured ({@code hash_key}); a request
 * without the configured header or cookie falls back to its client address.
 */
final class RingHashBalancer implements Balancer {

    /** Points per weight-100 backend: enough to keep shares within a few per cent of the weights. */
    static final int POINTS_PER_100 = 160;

    private final long[] ring;
    private final Backend[] owners;
    private final HashKey key;

    RingHashBalancer(List<Backend> backends, HashKey key) {
        this.key = key;
        java.util.TreeMap<Long, Backend> points = new java.util.TreeMap<>();
        for (Backend backend : backends) {
            int count = Math.max(1, backend.weight() * POINTS_PER_100 / 100);
            byte[] name = backend.address().getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < count; i++) {
                points.putIfAbsent(hash64(name, i * 0x9E3779B97F4A7C15L + 1), backend);
            }
        }
        this.ring = new long[points.size()];
        this.owners = new Backend[points.size()];
        int i = 0;
        for (var e : points.entrySet()) {
            ring[i] = e.getKey();
            owners[i++] = e.getValue();
        }
    }

    @Override
    public Backend pick(PickContext context) {
        if (ring.length == 0) {
            return null;
        }
        long hash = hash64(key.of(context));
        int at = java.util.Arrays.binarySearch(ring, hash);
        if (at < 0) {
            at = -at - 1;
        }
        return owners[at == ring.length ? 0 : at];
    }

    static long hash64(String text) {
        return hash64(text.getBytes(StandardCharsets.UTF_8), 0);
    }

    /** FNV-1a with a seed, then a 64-bit finaliser (SplitMix64) to spread the bits. */
    static long hash64(byte[] data, long seed) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (byte b : data) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    /** What a request hashes on: {@code client_ip}, {@code header:<Name>} or {@code cookie:<name>}. */
    record HashKey(String kind, String name) {

        static final HashKey CLIENT_IP = new HashKey("client_ip", "");

        static HashKey parse(String spec) {
            if (spec == null || spec.equals("client_ip")) {
                return CLIENT_IP;
            }
            int colon = spec.indexOf(':');
            return new HashKey(spec.substring(0, colon), spec.substring(colon + 1));
        }

        String of(PickContext context) {
            String value = switch (kind) {
                case "header" -> context.header(name);
                case "cookie" -> cookie(context.header("cookie"), name);
                default -> null;
            };
            return value != null ? value : clientIp(context.clientAddress());
        }

        private static String cookie(String header, String name) {
            if (header == null) {
                return null;
            }
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                    return pair.substring(eq + 1).trim();
                }
            }
            return null;
        }

        private static String clientIp(SocketAddress address) {
            if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
                return inet.getAddress().getHostAddress();
            }
            return String.valueOf(address);
        }
    }
}

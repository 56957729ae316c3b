package io.sluice.core.balance;

import io.sluice.core.config.BalancerConfig.HashKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Consistent hashing by Maglev (Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load Balancer",
 * NSDI 2016, section 3.4). Each backend gets a permutation of the {@value #TABLE_SIZE} slots of a lookup table,
 * derived from two hashes of its address ({@code offset}, {@code skip}); backends take turns claiming their
 * next preferred free slot until the table is full. A request's key hashes to a slot, the slot names the
 * backend: one array read per pick, lock-free.
 *
 * <p>Every backend owns within one slot of {@code M/N} entries, so load is even (a ring hash with virtual
 * nodes varies by several percent). When a backend leaves, its slots are redistributed and only about
 * {@code 1/N} of keys move; Maglev trades exact minimal disruption for that evenness, so a small fraction of
 * other keys may move too. Weights are ignored: the table would have to be rebuilt as slow start changed them.
 *
 * <p>Backends are ordered by address before filling, so the table depends on the set of backends and not on
 * list order. Building costs about {@code M log M} probes (milliseconds), once per membership change.
 */
final class MaglevBalancer implements Balancer {

    /** A prime, as the paper requires for every {@code skip} to yield a full permutation; the paper's size. */
    static final int TABLE_SIZE = 65537;

    private final Backend[] table;
    private final HashKey key;

    MaglevBalancer(List<Backend> backends, HashKey key) {
        this.key = key;
        this.table = backends.isEmpty() ? null : build(backends);
    }

    private static Backend[] build(List<Backend> backends) {
        List<Map.Entry<String, Backend>> named = new ArrayList<>(backends.size());
        Map<String, Integer> seen = new HashMap<>();
        for (Backend b : backends) {
            // The same address twice in a route is two entries: give the second its own permutation.
            int n = seen.merge(b.address(), 1, Integer::sum);
            named.add(Map.entry(n == 1 ? b.address() : b.address() + "#" + n, b));
        }
        named.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));

        int n = named.size();
        int[] next = new int[n];
        int[] skip = new int[n];
        for (int i = 0; i < n; i++) {
            String name = named.get(i).getKey();
            next[i] = (int) Long.remainderUnsigned(Hashing.hash(name, Hashing.SEED_OFFSET), TABLE_SIZE);
            skip[i] = (int) Long.remainderUnsigned(Hashing.hash(name, Hashing.SEED_SKIP), TABLE_SIZE - 1) + 1;
        }
        Backend[] table = new Backend[TABLE_SIZE];
        int filled = 0;
        while (true) {
            for (int i = 0; i < n; i++) {
                int slot = next[i];
                while (table[slot] != null) {
                    slot = (slot + skip[i]) % TABLE_SIZE;
                }
                table[slot] = named.get(i).getValue();
                next[i] = (slot + skip[i]) % TABLE_SIZE;
                if (++filled == TABLE_SIZE) {
                    return table;
                }
            }
        }
    }

    @Override
    public Backend pick(PickContext context) {
        if (table == null) {
            return null;
        }
        return table[(int) Long.remainderUnsigned(keyHash(context), TABLE_SIZE)];
    }

    /** The configured header or cookie, else the client's IP address (without the port). */
    private long keyHash(PickContext context) {
        String value = switch (key.source()) {
            case CLIENT_IP -> null;
            case HEADER -> context.header(key.name());
            case COOKIE -> context.cookie(key.name());
        };
        if (value != null) {
            return Hashing.hash(value, Hashing.SEED_KEY);
        }
        SocketAddress address = context.clientAddress();
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return Hashing.hash(inet.getAddress().getAddress(), Hashing.SEED_KEY);
        }
        return Hashing.hash(String.valueOf(address), Hashing.SEED_KEY);
    }
}

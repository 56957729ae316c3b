package io.sluice.core.config;

import java.time.Duration;
import java.util.Locale;

/**
 * {@code tunnel.performance.profile} (seed 003's tuning guide): a named set of defaults for the tunnel's workers,
 * stream caps, connections, target pooling, frame and window sizes. A key written explicitly in the YAML always
 * wins over the profile; the profile only changes what an absent key defaults to. {@link #DEFAULT} is what Sluice
 * uses without a profile (the seed defaults). docs/CONFIGURATION.md, "tunnel.performance.profile", lists the same
 * table.
 *
 * @param packetWorkers     tunnel event loops; 0 = one per core
 * @param serverStreams     {@code max_concurrent_streams} on a server
 * @param clientStreams     {@code max_concurrent_streams} on a client
 * @param connections       client: TLS connections kept up
 * @param pool              server: {@code connection_pool.enabled}
 * @param poolSize          server: {@code connection_pool.size}
 * @param chunkBytes        largest DATA frame written
 * @param streamWindow      per-stream flow-control window
 * @param connectionWindow  per-connection flow-control window
 * @param retryInitial      {@code retry_initial_backoff}
 * @param udpMaxSessions    {@code udp.max_sessions}
 * @param udpQueue          {@code udp.queue_size}
 */
public record TunnelProfile(String name, int packetWorkers, int serverStreams, int clientStreams, int connections,
                            boolean pool, int poolSize, int chunkBytes, int streamWindow, int connectionWindow,
                            Duration retryInitial, int udpMaxSessions, int udpQueue) {

    private static final int KIB = 1024;
    private static final int MIB = 1024 * 1024;

    /** No profile: seed 003/004 defaults. */
    public static final TunnelProfile DEFAULT = new TunnelProfile("default", 0, 10_000, 5_000, 2, false, 100,
            64 * KIB, MIB, 16 * MIB, Duration.ofMillis(100), 10_000, 256);

    /** Bulk transfer: more streams, connections and pooled targets; larger frames and windows. */
    public static final TunnelProfile HIGH_THROUGHPUT = new TunnelProfile("high_throughput", 0, 20_000, 10_000, 4,
            true, 200, 256 * KIB, 4 * MIB, 64 * MIB, Duration.ofMillis(100), 10_000, 1024);

    /** Interactive traffic: small frames (less head-of-line waiting behind a bulk frame), fast retries. */
    public static final TunnelProfile LOW_LATENCY = new TunnelProfile("low_latency", 2, 1_000, 1_000, 2, false, 100,
            16 * KIB, 256 * KIB, 4 * MIB, Duration.ofMillis(50), 1_000, 64);

    /** Small machines: one event loop, one connection, few streams, small windows (memory per stream bounded). */
    public static final TunnelProfile CONSTRAINED = new TunnelProfile("constrained", 1, 500, 500, 1, false, 100,
            16 * KIB, 128 * KIB, MIB, Duration.ofMillis(100), 500, 32);

    public static final java.util.List<TunnelProfile> NAMED = java.util.List.of(HIGH_THROUGHPUT, LOW_LATENCY,
            CONSTRAINED);

    static TunnelProfile named(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (TunnelProfile p : NAMED) {
            if (p.name.equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException(name);
    }

    public int maxConcurrentStreams(boolean server) {
        return server ? serverStreams : clientStreams;
    }
}

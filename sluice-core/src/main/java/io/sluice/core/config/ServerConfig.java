package io.sluice.core.config;

import java.time.Duration;
import java.util.List;

/**
 * Listener-side settings ({@code server:}).
 *
 * @param workers       event loops; 0 means {@code auto}, one per available core
 * @param backlog       accept queue length (default 2048)
 * @param bufferSize    initial receive buffer per read, bytes (default 8 KiB)
 * @param maxBufferSize largest receive buffer per read, bytes (default 64 KiB)
 * @param drainTimeout  how long in-flight requests may run after a stop signal (default 30 s)
 * @param listeners     the sockets to accept on
 * @param maxConcurrentStreams requests (HTTP/1.1 exchanges and HTTP/2 streams) in flight at once, process-wide;
 *                      beyond it new requests get 503 at once (seed 003: 10,000); also each HTTP/2 connection's
 *                      SETTINGS_MAX_CONCURRENT_STREAMS
 */
public record ServerConfig(
        int workers,
        int backlog,
        int bufferSize,
        int maxBufferSize,
        Duration drainTimeout,
        List<ListenerConfig> listeners,
        int maxConcurrentStreams) {

    public static final int AUTO_WORKERS = 0;
    public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 10_000;

    /** Server settings with the default concurrency limit. */
    public ServerConfig(int workers, int backlog, int bufferSize, int maxBufferSize, Duration drainTimeout,
                        List<ListenerConfig> listeners) {
        this(workers, backlog, bufferSize, maxBufferSize, drainTimeout, listeners, DEFAULT_MAX_CONCURRENT_STREAMS);
    }

    public ServerConfig {
        listeners = List.copyOf(listeners);
    }

    /** The event-loop count to run with: {@code workers}, or the number of cores for {@code auto}. */
    public int effectiveWorkers() {
        return workers == AUTO_WORKERS ? Runtime.getRuntime().availableProcessors() : workers;
    }
}

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
 * @param maxQueue      requests that may wait, in arrival order, for one of those slots instead of getting 503 at
 *                      once; 0 (the default) means no queue
 * @param queueTimeout  how long a queued request waits at most before it gets 503 (default 1 s)
 */
public record ServerConfig(
        int workers,
        int backlog,
        int bufferSize,
        int maxBufferSize,
        Duration drainTimeout,
        List<ListenerConfig> listeners,
        int maxConcurrentStreams,
        int maxQueue,
        Duration queueTimeout) {

    public static final int AUTO_WORKERS = 0;
    public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 10_000;
    public static final Duration DEFAULT_QUEUE_TIMEOUT = Duration.ofSeconds(1);

    /** Server settings with the default concurrency limit. */
    public ServerConfig(int workers, int backlog, int bufferSize, int maxBufferSize, Duration drainTimeout,
                        List<ListenerConfig> listeners) {
        this(workers, backlog, bufferSize, maxBufferSize, drainTimeout, listeners, DEFAULT_MAX_CONCURRENT_STREAMS);
    }

    /** Server settings without a wait queue: beyond the limit, 503 at once. */
    public ServerConfig(int workers, int backlog, int bufferSize, int maxBufferSize, Duration drainTimeout,
                        List<ListenerConfig> listeners, int maxConcurrentStreams) {
        this(workers, backlog, bufferSize, maxBufferSize, drainTimeout, listeners, maxConcurrentStreams, 0,
                DEFAULT_QUEUE_TIMEOUT);
    }

    public ServerConfig {
        listeners = List.copyOf(listeners);
        java.util.Objects.requireNonNull(queueTimeout, "queueTimeout");
    }

    /** The event-loop count to run with: {@code workers}, or the number of cores for {@code auto}. */
    public int effectiveWorkers() {
        return workers == AUTO_WORKERS ? Runtime.getRuntime().availableProcessors() : workers;
    }
}

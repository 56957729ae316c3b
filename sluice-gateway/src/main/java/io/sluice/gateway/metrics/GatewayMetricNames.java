package io.sluice.gateway.metrics;

/**
 * Names and tag keys of the meters the gateway registers, in Micrometer's dotted form. Each comment
 * gives what the Prometheus registry renders (base unit suffix, {@code _total} for counters).
 * Every metric is described in {@code docs/METRICS.md}; change both together.
 */
public final class GatewayMetricNames {

    // ---- requests (downstream side) ----

    /**
     * Timer of downstream requests, from request head received to response fully written.
     * Tags {@link #ROUTE}, {@link #METHOD}, {@link #STATUS_CLASS}. Prometheus: histogram
     * {@code sluice_requests_seconds_bucket{le}}, {@code sluice_requests_seconds_count},
     * {@code sluice_requests_seconds_sum}, plus gauge {@code sluice_requests_seconds_max}.
     */
    public static final String REQUESTS = "sluice.requests";

    /** Gauge of open downstream (client) connections. Prometheus: {@code sluice_downstream_connections_active}. */
    public static final String DOWNSTREAM_CONNECTIONS_ACTIVE = "sluice.downstream.connections.active";

    /** Counter of downstream connections accepted. Prometheus: {@code sluice_downstream_connections_total}. */
    public static final String DOWNSTREAM_CONNECTIONS = "sluice.downstream.connections";

    // ---- upstream side ----

    /**
     * Timer of upstream exchanges, from request sent to response head received. Tag {@link #BACKEND}.
     * Prometheus: histogram {@code sluice_upstream_response_seconds_bucket|_count|_sum} and
     * {@code sluice_upstream_response_seconds_max}.
     */
    public static final String UPSTREAM_RESPONSE = "sluice.upstream.response";

    /**
     * Counter of failed upstream exchanges. Tags {@link #BACKEND}, {@link #KIND} (one of the
     * {@code KIND_*} values). Prometheus: {@code sluice_upstream_errors_total}.
     */
    public static final String UPSTREAM_ERRORS = "sluice.upstream.errors";

    /** {@code sluice_retries_total{route,reason}}: attempts tried again. */
    public static final String RETRIES = "sluice.retries";

    /** {@code sluice_retry_budget_exhausted_total{route}}: retries not made because the budget was spent. */
    public static final String RETRY_BUDGET_EXHAUSTED = "sluice.retry.budget.exhausted";

    /** {@code sluice_hedges_total{route}}: hedged attempts sent. */
    public static final String HEDGES = "sluice.hedges";

    /** {@code sluice_hedges_won_total{route}}: hedged attempts whose response was used. */
    public static final String HEDGES_WON = "sluice.hedges.won";

    /**
     * {@code sluice_requests_rejected_total{reason}}: requests refused before routing with 503 (reason:
     * concurrency, queue_full, queue_timeout).
     */
    public static final String REQUESTS_REJECTED = "sluice.requests.rejected";

    /** {@code sluice_requests_queued}: gauge of requests waiting for a max_concurrent_streams slot now. */
    public static final String REQUESTS_QUEUED = "sluice.requests.queued";

    /** {@code sluice_requests_queue_wait_seconds}: how long admitted requests waited in the queue. */
    public static final String REQUESTS_QUEUE_WAIT = "sluice.requests.queue.wait";

    // ---- Netty buffer allocators ----

    /**
     * Gauge of memory an allocator holds, in bytes. Tags {@link #ALLOCATOR}, {@link #MEMORY_TYPE}.
     * Prometheus: {@code sluice_netty_allocator_memory_used_bytes}.
     */
    public static final String NETTY_ALLOCATOR_MEMORY_USED = "sluice.netty.allocator.memory.used";

    /**
     * Gauge of arenas of a pooled allocator. Tags {@link #ALLOCATOR}, {@link #MEMORY_TYPE}.
     * Prometheus: {@code sluice_netty_allocator_arenas}.
     */
    public static final String NETTY_ALLOCATOR_ARENAS = "sluice.netty.allocator.arenas";

    /**
     * Gauge of thread-local caches of a pooled allocator. Tag {@link #ALLOCATOR}.
     * Prometheus: {@code sluice_netty_allocator_threadlocal_caches}.
     */
    public static final String NETTY_ALLOCATOR_THREADLOCAL_CACHES = "sluice.netty.allocator.threadlocal.caches";

    /**
     * Gauge of a pooled allocator's chunk size, in bytes. Tag {@link #ALLOCATOR}.
     * Prometheus: {@code sluice_netty_allocator_chunk_size_bytes}.
     */
    public static final String NETTY_ALLOCATOR_CHUNK_SIZE = "sluice.netty.allocator.chunk.size";

    // ---- tag keys ----

    /** The route's configured name; {@link #UNMATCHED_ROUTE} when no route matched. */
    public static final String ROUTE = "route";
    /** The request method; methods outside RFC 9110 and PATCH count as {@link #OTHER}. */
    public static final String METHOD = "method";
    /** {@code 1xx} .. {@code 5xx}; {@link #UNKNOWN} for anything else (e.g. no response was sent). */
    public static final String STATUS_CLASS = "status_class";
    /** The backend's {@code host:port}. */
    public static final String BACKEND = "backend";
    /** What went wrong upstream; one of the {@code KIND_*} values. */
    public static final String KIND = "kind";
    /** Which allocator: {@code adaptive}, {@code pooled}, {@code unpooled}. */
    public static final String ALLOCATOR = "allocator";
    /** {@code heap} or {@code direct}. */
    public static final String MEMORY_TYPE = "memory_type";

    // ---- tag values ----

    public static final String UNMATCHED_ROUTE = "unmatched";
    public static final String OTHER = "other";
    public static final String UNKNOWN = "unknown";

    /** Upstream refused the TCP connection. */
    public static final String KIND_CONNECT_REFUSED = "connect_refused";
    /** The TCP (or TLS) connect did not finish within {@code timeouts.connect}. */
    public static final String KIND_CONNECT_TIMEOUT = "connect_timeout";
    /** The response did not arrive within {@code timeouts.read}. */
    public static final String KIND_READ_TIMEOUT = "read_timeout";
    /** The connection was reset or closed mid-exchange. */
    public static final String KIND_RESET = "reset";
    /** The upstream sent something that is not a valid HTTP response. */
    public static final String KIND_BAD_RESPONSE = "bad_response";
    /** No pooled connection became free within the pool's wait timeout. */
    public static final String KIND_POOL_TIMEOUT = "pool_timeout";

    private GatewayMetricNames() {}
}

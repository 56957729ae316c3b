package io.sluice.gateway.proxy;

import io.sluice.core.config.ConnectionSettings;
import io.sluice.core.config.Timeouts;
import io.sluice.core.limit.ConcurrencyLimiter;
import io.sluice.core.limit.ConcurrencyRejection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every downstream connection of one gateway shares: routes, header rules, deadlines, the
 * event sink, and the drain switch. The route table is swapped whole, never edited.
 */
public final class ProxyContext {

    private volatile RouteTable routes;
    private final HeaderRewriter rewriter;
    private final Timeouts timeouts;
    private final ConnectionSettings connectionSettings;
    private final ProxyEvents events;
    private final AtomicInteger activeExchanges = new AtomicInteger();
    private volatile boolean draining;
    private final boolean compressing;
    private final int maxConcurrentStreams;
    private final ConcurrencyLimiter limiter;

    public ProxyContext(RouteTable routes, HeaderRewriter rewriter, Timeouts timeouts,
                        ConnectionSettings connectionSettings, ProxyEvents events) {
        this(routes, rewriter, timeouts, connectionSettings, events,
                io.sluice.core.config.ServerConfig.DEFAULT_MAX_CONCURRENT_STREAMS);
    }

    public ProxyContext(RouteTable routes, HeaderRewriter rewriter, Timeouts timeouts,
                        ConnectionSettings connectionSettings, ProxyEvents events, int maxConcurrentStreams) {
        this(routes, rewriter, timeouts, connectionSettings, events, maxConcurrentStreams, 0, Duration.ofSeconds(1));
    }

    /**
     * @param maxQueue     requests that may wait for a slot beyond {@code maxConcurrentStreams}; 0 for none
     * @param queueTimeout how long such a request waits at most
     */
    public ProxyContext(RouteTable routes, HeaderRewriter rewriter, Timeouts timeouts,
                        ConnectionSettings connectionSettings, ProxyEvents events, int maxConcurrentStreams,
                        int maxQueue, Duration queueTimeout) {
        this.maxConcurrentStreams = maxConcurrentStreams;
        this.limiter = ConcurrencyLimiter.of("server", maxConcurrentStreams, maxQueue, queueTimeout,
                new ConcurrencyLimiter.Metrics() {
                    @Override
                    public void rejected(ConcurrencyRejection reason) {
                        events.requestRejected(rejectionReason(reason));
                    }

                    @Override
                    public void queueWait(long nanos) {
                        events.queueWaited(nanos);
                    }
                });
        this.routes = routes;
        this.rewriter = rewriter;
        this.timeouts = timeouts;
        this.connectionSettings = connectionSettings;
        this.events = events;
        this.compressing = routes.routes().stream().anyMatch(r -> r.compression() != null);
    }

    /** Whether any route compresses: only then is a compressor in the pipelines and its policy set per response. */
    public boolean compressing() {
        return compressing;
    }

    public RouteTable routes() {
        return routes;
    }

    public void routes(RouteTable routes) {
        this.routes = routes;
    }

    HeaderRewriter rewriter() {
        return rewriter;
    }

    public Timeouts timeouts() {
        return timeouts;
    }

    public ConnectionSettings connectionSettings() {
        return connectionSettings;
    }

    public ProxyEvents events() {
        return events;
    }

    /** Requests in flight right now, across all connections. */
    public int activeExchanges() {
        return activeExchanges.get();
    }

    /** Counts a new request in, admitted or not; {@link #limiter()} decides whether it may proceed. */
    void exchangeStarted() {
        activeExchanges.incrementAndGet();
    }

    /** The semaphore over in-flight requests ({@code server.max_concurrent_streams}) and its wait queue. */
    ConcurrencyLimiter limiter() {
        return limiter;
    }

    /** Requests waiting for a slot now. */
    public int queuedRequests() {
        return limiter.queued();
    }

    /** The {@code reason} tag of {@code sluice_requests_rejected_total}. */
    static String rejectionReason(ConcurrencyRejection reason) {
        return reason == ConcurrencyRejection.LIMIT ? "concurrency" : reason.tag();
    }

    public int maxConcurrentStreams() {
        return maxConcurrentStreams;
    }

    void exchangeFinished() {
        activeExchanges.decrementAndGet();
    }

    public boolean draining() {
        return draining;
    }

    /** From now on every response closes its connection; idle connections close on the {@link Drain} event. */
    public void startDraining() {
        draining = true;
    }

    /** Fired through each downstream pipeline when the gateway starts draining. */
    public enum Drain {
        INSTANCE
    }
}

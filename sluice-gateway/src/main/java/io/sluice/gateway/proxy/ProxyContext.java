package io.sluice.gateway.proxy;

import io.sluice.core.config.ConnectionSettings;
import io.sluice.core.config.Timeouts;
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

    public ProxyContext(RouteTable routes, HeaderRewriter rewriter, Timeouts timeouts,
                        ConnectionSettings connectionSettings, ProxyEvents events) {
        this(routes, rewriter, timeouts, connectionSettings, events,
                io.sluice.core.config.ServerConfig.DEFAULT_MAX_CONCURRENT_STREAMS);
    }

    public ProxyContext(RouteTable routes, HeaderRewriter rewriter, Timeouts timeouts,
                        ConnectionSettings connectionSettings, ProxyEvents events, int maxConcurrentStreams) {
        this.maxConcurrentStreams = maxConcurrentStreams;
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

    /** Counts a new request in; false when that makes more than {@code max_concurrent_streams} in flight. */
    boolean exchangeStarted() {
        return activeExchanges.incrementAndGet() <= maxConcurrentStreams;
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

package io.sluice.gateway.proxy;

import io.sluice.core.config.ConnectionSettings;
import io.sluice.core.config.Timeouts;
import io.sluice.core.retry.RetryAfter;
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
    private final RetryAfter retryAfter = new RetryAfter();
    private volatile boolean draining;

    public ProxyContext(RouteTable routes, HeaderRewriter rewriter, Timeouts timeouts,
                        ConnectionSettings connectionSettings, ProxyEvents events) {
        this.routes = routes;
        this.rewriter = rewriter;
        this.timeouts = timeouts;
        this.connectionSettings = connectionSettings;
        this.events = events;
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

    Timeouts timeouts() {
        return timeouts;
    }

    ConnectionSettings connectionSettings() {
        return connectionSettings;
    }

    /** Backends that asked (Retry-After) not to be retried yet; shared by all routes, as backends are. */
    RetryAfter retryAfter() {
        return retryAfter;
    }

    public ProxyEvents events() {
        return events;
    }

    /** Requests in flight right now, across all connections. */
    public int activeExchanges() {
        return activeExchanges.get();
    }

    void exchangeStarted() {
        activeExchanges.incrementAndGet();
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

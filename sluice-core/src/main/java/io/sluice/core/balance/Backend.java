package io.sluice.core.balance;

import io.sluice.core.config.BackendConfig;
import io.sluice.core.pool.UpstreamPool;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A live backend: its configuration, its connection pool and the requests in flight to it.
 * Balancers read the counters; the proxy updates them.
 */
public final class Backend {

    private final BackendConfig config;
    private final String address;
    private final UpstreamPool pool;
    private final AtomicInteger inFlight = new AtomicInteger();

    public Backend(BackendConfig config, UpstreamPool pool) {
        this.config = config;
        this.address = config.address(); // on every request's path: build the string once
        this.pool = pool;
    }

    public BackendConfig config() {
        return config;
    }

    public String address() {
        return address;
    }

    public int weight() {
        return config.weight();
    }

    public UpstreamPool pool() {
        return pool;
    }

    public int inFlight() {
        return inFlight.get();
    }

    public void requestStarted() {
        inFlight.incrementAndGet();
    }

    public void requestFinished() {
        inFlight.decrementAndGet();
    }

    @Override
    public String toString() {
        return "Backend[" + address() + "]";
    }
}

package io.sluice.gateway;

import io.sluice.gateway.metrics.GatewayMetrics;
import io.sluice.gateway.proxy.ExchangeRecord;
import io.sluice.gateway.proxy.ProxyEvents;
import io.sluice.gateway.proxy.UpstreamFailure;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Feeds proxy events to the metrics registry and, when enabled, the access log. */
final class MetricsEvents implements ProxyEvents {

    private static final Logger access = LoggerFactory.getLogger("sluice.access");

    private final GatewayMetrics metrics;
    private final boolean accessLog;

    MetricsEvents(GatewayMetrics metrics, boolean accessLog) {
        this.metrics = metrics;
        this.accessLog = accessLog;
    }

    @Override
    public void downstreamConnectionOpened() {
        metrics.downstreamConnectionOpened();
    }

    @Override
    public void downstreamConnectionClosed() {
        metrics.downstreamConnectionClosed();
    }

    @Override
    public void requestCompleted(ExchangeRecord r) {
        metrics.requestCompleted(r.route(), r.method(), r.status(), r.durationNanos());
        if (accessLog && access.isInfoEnabled()) {
            access.info("{} \"{} {} {}\" {} in={} out={} route={} upstream={} {}ms", r.client(), r.method(), r.uri(),
                    r.protocol(), r.status(), r.bytesIn(), r.bytesOut(), r.route(), r.backend(),
                    TimeUnit.NANOSECONDS.toMicros(r.durationNanos()) / 1000.0);
        }
    }

    @Override
    public void retried(String route, String reason) {
        metrics.retried(route, reason);
    }

    @Override
    public void hedged(String route) {
        metrics.hedged(route);
    }

    @Override
    public void hedgeWon(String route) {
        metrics.hedgeWon(route);
    }

    @Override
    public void retryBudgetExhausted(String route) {
        metrics.retryBudgetExhausted(route);
    }

    @Override
    public void rateLimited(String route, String scope) {
        metrics.rateLimited(route, scope);
    }

    @Override
    public void requestRejected(String reason) {
        metrics.requestRejected(reason);
    }

    @Override
    public void queueWaited(long nanos) {
        metrics.queueWaited(nanos);
    }

    @Override
    public void upstreamResponded(String backend, long nanos) {
        metrics.upstreamResponded(backend, nanos);
    }

    @Override
    public void upstreamError(String backend, UpstreamFailure.Kind kind) {
        metrics.upstreamError(backend, kind.tag());
    }
}

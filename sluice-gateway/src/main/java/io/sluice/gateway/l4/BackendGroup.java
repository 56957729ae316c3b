package io.sluice.gateway.l4;

import io.sluice.core.balance.Backend;
import io.sluice.core.balance.Balancer;
import io.sluice.core.balance.BalancingStrategy;
import io.sluice.core.balance.PickContext;
import io.sluice.core.config.BackendConfig;
import io.sluice.core.health.BackendAvailability;
import io.sluice.core.health.HealthListener;
import io.sluice.core.health.HealthStatus;
import io.sluice.core.health.OutlierDetector;
import java.util.List;

/**
 * The backends of one L4 listener and the balancer over those usable now. Like an HTTP route, the balancer works
 * over an immutable snapshot and is rebuilt whole when a backend's health changes (active checks or ejection by
 * the group's outlier detector), so picks take no lock. With no usable backend a pick returns null: the client is
 * refused rather than sent to a backend known to be down.
 */
public final class BackendGroup implements HealthListener {

    private final String name;
    private final List<Backend> backends;
    private final BalancingStrategy strategy;
    private final BackendAvailability availability;
    private final OutlierDetector outliers;
    private volatile Balancer balancer;
    private volatile List<Backend> usable;

    public BackendGroup(String name, List<BackendConfig> configs, String algorithm, HealthStatus active,
                        OutlierDetector outliers) {
        this.name = name;
        this.backends = configs.stream().map(b -> new Backend(b, null)).toList();
        this.strategy = BalancingStrategy.named(algorithm);
        this.outliers = outliers;
        this.availability = BackendAvailability.of(active, outliers, false);
        outliers.addListener(this);
        refresh();
    }

    /** A group whose backends are always usable: no checks, no ejection. */
    public static BackendGroup unchecked(String name, List<BackendConfig> configs, String algorithm) {
        return new BackendGroup(name, configs, algorithm, backend -> true, OutlierDetector.disabled());
    }

    public String name() {
        return name;
    }

    /** The backend for a new connection or session, or null when none is usable. */
    Backend pick(PickContext context) {
        return balancer.pick(context);
    }

    /** A connect to {@code backend} succeeded or failed: feeds passive health. */
    void connected(Backend backend, boolean ok) {
        if (ok) {
            outliers.recordSuccess(backend.address());
        } else {
            outliers.recordFailure(backend.address());
        }
    }

    /** Whether any backend may take traffic now; {@code /readyz} asks on every request. */
    public boolean hasUsableBackend() {
        for (Backend backend : backends) {
            if (availability.isUsable(backend.address())) {
                return true;
            }
        }
        return false;
    }

    /** The backends the balancer picks from now. */
    public List<Backend> usable() {
        return usable;
    }

    /** Whether {@code address} ({@code host:port}) is one of this group's backends. */
    public boolean contains(String address) {
        return backends.stream().anyMatch(b -> b.address().equals(address));
    }

    @Override
    public void onHealthChanged(String backend, boolean healthy, String reason) {
        if (contains(backend)) {
            refresh();
        }
    }

    private synchronized void refresh() {
        List<Backend> now = availability.select(backends, Backend::address).backends();
        this.usable = now;
        this.balancer = strategy.newBalancer(now);
    }
}

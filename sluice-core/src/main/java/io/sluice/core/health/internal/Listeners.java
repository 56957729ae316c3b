package io.sluice.core.health.internal;

import io.sluice.core.health.HealthListener;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Listeners of one component; a throwing listener is logged and the others still hear the event. */
public final class Listeners {

    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final List<HealthListener> listeners = new CopyOnWriteArrayList<>();

    public void add(HealthListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void fire(String backend, boolean healthy, String reason) {
        for (HealthListener listener : listeners) {
            try {
                listener.onHealthChanged(backend, healthy, reason);
            } catch (RuntimeException e) {
                log.warn("Health listener {} failed on {} -> {}", listener, backend, healthy ? "healthy" : "unhealthy", e);
            }
        }
    }
}

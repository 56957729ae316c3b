package io.sluice.core.balance;

/**
 * Chooses a backend for one request from an immutable snapshot of a route's backends.
 * Implementations pick without locks; membership changes build a new balancer.
 */
@FunctionalInterface
public interface Balancer {

    /** The backend for this request, or null when the route has none usable. */
    Backend pick(PickContext context);
}

/**
 * The admin listener (seed 004): {@code /healthz}, {@code /readyz}, {@code /version} and {@code /metrics}
 * on a separate, by default loopback-only, socket.
 *
 * <p>{@link io.sluice.gateway.admin.Readiness} is the one truthful answer to "should this process get
 * traffic?"; the gateway feeds it and {@link io.sluice.gateway.admin.AdminServer} serves it.
 * {@link io.sluice.gateway.admin.BuildInfo} says which binary is running. The endpoints are documented
 * with examples in {@code docs/METRICS.md}.
 */
package io.sluice.gateway.admin;

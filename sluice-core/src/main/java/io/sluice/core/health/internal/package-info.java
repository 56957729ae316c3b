/**
 * Implementation of {@link io.sluice.core.health}: the three checks ({@code HttpCheck}, {@code TcpCheck},
 * {@code CustomCheck}), the per-backend rise/fall {@code HealthStateMachine}, {@code Jitter}, and the
 * Micrometer meters. Not an API: only {@code io.sluice.core.health} uses it.
 */
package io.sluice.core.health.internal;

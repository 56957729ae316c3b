/**
 * The pool's implementation; not an API. Each class has one job, after HikariCP's:
 *
 * <ul>
 *   <li>{@link io.sluice.core.pool.internal.NettyUpstreamPool} ({@code HikariPool}): acquire,
 *       release, discard, opening connections, serving waiters, close. Start reading here.
 *   <li>{@link io.sluice.core.pool.internal.PoolEntry} ({@code PoolEntry}): one connection and its
 *       compare-and-set state (NOT_IN_USE, IN_USE, RESERVED, REMOVED).
 *   <li>{@link io.sluice.core.pool.internal.ConnectionBag} ({@code ConcurrentBag}): the entries,
 *       lock-free borrowing that prefers the caller's event loop.
 *   <li>{@link io.sluice.core.pool.internal.Lease} ({@code ProxyConnection}): one loan, so a second
 *       release or discard is a harmless no-op.
 *   <li>{@link io.sluice.core.pool.internal.WaiterQueue} and {@link io.sluice.core.pool.internal.Waiter}:
 *       borrowers waiting, oldest first, each with its deadline.
 *   <li>{@link io.sluice.core.pool.internal.Slots}: the {@code max_connections} ceiling.
 *   <li>{@link io.sluice.core.pool.internal.HouseKeeper} ({@code HouseKeeper}): idle timeout, max
 *       lifetime, broken connections, top-up to {@code min_idle}.
 *   <li>{@link io.sluice.core.pool.internal.LifetimeJitter}: each connection's lifetime, up to 2.5 % short.
 * </ul>
 */
package io.sluice.core.pool.internal;

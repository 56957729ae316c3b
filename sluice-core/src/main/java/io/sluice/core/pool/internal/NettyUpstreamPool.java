package io.sluice.core.pool.internal;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.sluice.core.pool.ConnectionFactory;
import io.sluice.core.pool.PoolClosedException;
import io.sluice.core.pool.PoolMetricsTracker;
import io.sluice.core.pool.PoolMetricsTracker.EvictionReason;
import io.sluice.core.pool.PoolStats;
import io.sluice.core.pool.PoolTimeoutException;
import io.sluice.core.pool.PooledConnection;
import io.sluice.core.pool.UpstreamPool;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool itself, as HikariCP's {@code HikariPool}: hands out entries from the
 * {@link ConnectionBag}, opens connections within the {@link Slots}, queues borrowers in the
 * {@link WaiterQueue}, and lets the {@link HouseKeeper} tidy up. Never blocks and takes no locks
 * on the borrow path.
 *
 * <p>Waiters are served by one thread at a time through a work-in-progress counter
 * ({@link #serviceWaiters()}): every change that could serve a waiter (an entry back to idle, a
 * slot freed, a waiter queued) calls it afterwards, and a call made while another thread is
 * serving makes that thread loop once more, so no wake-up is lost and no thread waits.
 */
public final class NettyUpstreamPool implements UpstreamPool {

    private static final Logger log = LoggerFactory.getLogger(NettyUpstreamPool.class);

    private final PoolSettings settings;
    private final String name;
    private final ConnectionFactory factory;
    private final LongSupplier ticker;
    private final long waitTimeoutNanos;
    private final PoolMetricsTracker metrics;
    private final ConnectionBag bag = new ConnectionBag();
    private final WaiterQueue waiters = new WaiterQueue();
    private final Slots slots;
    private final HouseKeeper houseKeeper;
    private final AtomicInteger serviceWip = new AtomicInteger();
    private final AtomicInteger warming = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean housekeepingFailureLogged = new AtomicBoolean();
    private final AtomicBoolean warmFailureLogged = new AtomicBoolean();
    private final AtomicBoolean schedulerFailureLogged = new AtomicBoolean();
    private volatile ScheduledFuture<?> houseKeeperTask;

    public NettyUpstreamPool(PoolSettings settings) {
        this.settings = settings;
        this.name = settings.name();
        this.factory = settings.factory();
        this.ticker = settings.ticker();
        this.waitTimeoutNanos = settings.waitTimeout().toNanos();
        this.slots = new Slots(settings.maxConnections());
        this.houseKeeper = new HouseKeeper(this, bag, settings);
        this.metrics = Objects.requireNonNull(settings.metrics().create(name, this::stats), "metrics tracker");
    }

    /** Runs the first housekeeping pass (which pre-warms {@code min_idle}) and schedules the rest. */
    public void start() {
        runHousekeeping();
        long every = settings.healthCheckNanos();
        if (every > 0) {
            try {
                houseKeeperTask = settings.scheduler().scheduleWithFixedDelay(
                        this::runHousekeeping, every, every, TimeUnit.NANOSECONDS);
            } catch (RuntimeException e) {
                log.warn("{} - cannot schedule the housekeeper; idle connections will not be tidied", name, e);
            }
        }
    }

    public String name() {
        return name;
    }

    // ---------------------------------------------------------------- borrowing

    @Override
    public Future<PooledConnection> acquire(EventLoop preferred) {
        Objects.requireNonNull(preferred, "preferred");
        long start = ticker.getAsLong();
        if (closed.get()) {
            return preferred.newFailedFuture(new PoolClosedException(name));
        }
        boolean first = waiters.isEmpty(); // else queue behind them: first come, first served
        if (first) {
            PoolEntry entry = borrowIdle(preferred);
            if (entry != null) {
                // The steady-state case: an idle connection at once. A completed future, without the waiter and
                // promise that only a borrower who has to wait needs.
                metrics.recordAcquire(ticker.getAsLong() - start);
                return preferred.newSucceededFuture(new Lease(this, entry));
            }
        }
        Promise<PooledConnection> promise = preferred.newPromise();
        Waiter borrower = new Waiter(promise, preferred, start, waitTimeoutNanos);
        if (first) {
            if (slots.tryAcquire()) {
                connectFor(borrower);
                return promise;
            }
        }
        waiters.add(borrower);
        scheduleTimeout(borrower);
        promise.addListener(f -> {
            if (f.isCancelled() && waiters.remove(borrower)) {
                borrower.cancelTimeout();
            }
        });
        serviceWaiters();
        return promise;
    }

    /** An idle, usable entry (now owned by the caller), preferring {@code preferred}'s; broken or expired ones are closed on the way. */
    private PoolEntry borrowIdle(EventLoop preferred) {
        for (;;) {
            PoolEntry entry = bag.borrow(preferred);
            if (entry == null) {
                return null;
            }
            EvictionReason reason = unusableReason(entry, ticker.getAsLong());
            if (reason == null) {
                return entry;
            }
            remove(entry, PoolEntry.IN_USE, reason);
        }
    }

    /** Why this entry must not be handed out (again), or null if it may. */
    private EvictionReason unusableReason(PoolEntry entry, long now) {
        if (closed.get()) {
            return EvictionReason.CLOSED;
        }
        if (!entry.channel().isActive()) {
            return EvictionReason.BROKEN;
        }
        EvictionReason marked = entry.evictReason();
        if (marked != null) {
            return marked;
        }
        return entry.isExpired(now) ? EvictionReason.MAX_LIFETIME : null;
    }

    /** Completes the borrower with a new loan of {@code entry}; false if it no longer wants one (timed out, cancelled). */
    private boolean handOver(PoolEntry entry, Waiter borrower) {
        if (borrower.promise.isDone()) {
            return false;
        }
        // Recorded first: once the promise completes, the borrower may already be looking at the metrics.
        // A cancel between here and trySuccess (rare) is recorded as an acquire.
        metrics.recordAcquire(ticker.getAsLong() - borrower.startNanos);
        return borrower.promise.trySuccess(new Lease(this, entry));
    }

    private void scheduleTimeout(Waiter waiter) {
        try {
            waiter.timeout(settings.scheduler().schedule(
                    () -> timeOut(waiter), waitTimeoutNanos, TimeUnit.NANOSECONDS));
        } catch (RuntimeException e) {
            if (schedulerFailureLogged.compareAndSet(false, true)) {
                log.warn("{} - cannot schedule a wait timeout; waiters time out at housekeeping only", name, e);
            }
        }
    }

    /** Fails a waiter that is still queued; the message's {@code waiting=} counts the others, as HikariCP's does. */
    private void timeOut(Waiter waiter) {
        if (waiters.remove(waiter)) {
            waiter.cancelTimeout();
            metrics.recordTimeout();
            waiter.promise.tryFailure(new PoolTimeoutException(name, settings.waitTimeout(), stats()));
        }
    }

    /** Fails the waiters whose deadline has passed by the pool's ticker. */
    void expireWaiters(long now) {
        for (Waiter waiter : waiters) {
            if (waiter.isOverdue(now)) {
                timeOut(waiter);
            }
        }
    }

    // ---------------------------------------------------------------- returning

    /** Takes back a borrowed entry (its loan just ended): closes it if it must go, else to the oldest waiter, else idle. */
    void requite(PoolEntry entry) {
        long now = ticker.getAsLong();
        EvictionReason reason = unusableReason(entry, now);
        if (reason != null) {
            remove(entry, PoolEntry.IN_USE, reason);
            return;
        }
        for (Waiter waiter; (waiter = waiters.poll()) != null; ) {
            waiter.cancelTimeout();
            if (handOver(entry, waiter)) {
                return;
            }
        }
        entry.touchReleased(now);
        if (!entry.compareAndSet(PoolEntry.IN_USE, PoolEntry.NOT_IN_USE)) {
            log.warn("{} - returned {} was not in use; left alone", name, entry);
            return;
        }
        serviceWaiters(); // a waiter may have queued after the poll above; also closes it if the pool closed meanwhile
    }

    void discard(PoolEntry entry) {
        remove(entry, PoolEntry.IN_USE, EvictionReason.DISCARDED);
    }

    /**
     * Closes an entry and frees its slot, if it is still in {@code expectedState} (the caller owns
     * it); the compare-and-set to {@link PoolEntry#REMOVED} makes this happen once per entry.
     */
    boolean remove(PoolEntry entry, int expectedState, EvictionReason reason) {
        if (!entry.compareAndSet(expectedState, PoolEntry.REMOVED)) {
            return false;
        }
        bag.remove(entry);
        slots.release();
        metrics.recordEviction(reason);
        log.debug("{} - closing {} ({})", name, entry.channel(), reason);
        entry.channel().close();
        serviceWaiters(); // the freed slot may serve a waiter
        return true;
    }

    /** The backend (or the network) closed a channel; if it was idle, drop it now. */
    private void onChannelClosed(PoolEntry entry) {
        remove(entry, PoolEntry.NOT_IN_USE, EvictionReason.BROKEN);
    }

    // ---------------------------------------------------------------- serving waiters

    /** Serves waiters from idle entries or free slots, one thread at a time; see the class comment. */
    void serviceWaiters() {
        if (serviceWip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            try {
                serviceOnce();
            } catch (RuntimeException e) {
                log.warn("{} - serving waiters failed", name, e);
            }
            missed = serviceWip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void serviceOnce() {
        if (closed.get()) {
            shutDownSweep();
            return;
        }
        for (Waiter waiter; (waiter = waiters.peek()) != null; ) {
            if (waiter.promise.isDone()) { // cancelled; its listener may not have run yet
                waiters.remove(waiter);
                waiter.cancelTimeout();
                continue;
            }
            PoolEntry entry = borrowIdle(waiter.preferred);
            if (entry != null) {
                if (!waiters.remove(waiter) || !handOver(entry, waiter)) {
                    backToIdle(entry);
                    continue;
                }
                waiter.cancelTimeout();
            } else if (slots.tryAcquire()) {
                if (!waiters.remove(waiter)) {
                    slots.release();
                    continue;
                }
                waiter.cancelTimeout();
                connectFor(waiter);
            } else {
                return;
            }
        }
    }

    /** Puts back an entry this thread borrowed but could not hand over; the serving loop looks again. */
    private void backToIdle(PoolEntry entry) {
        entry.compareAndSet(PoolEntry.IN_USE, PoolEntry.NOT_IN_USE);
    }

    // ---------------------------------------------------------------- opening

    /** Opens a connection on the borrower's loop, in a slot the caller has taken. */
    private void connectFor(Waiter borrower) {
        connect(borrower.preferred).addListener(f -> {
            if (!f.isSuccess()) {
                slots.release();
                borrower.promise.tryFailure(f.cause());
                serviceWaiters(); // a waiter behind may try a fresh connect
                return;
            }
            PoolEntry entry = register((Channel) f.getNow(), PoolEntry.IN_USE);
            if (closed.get()) {
                borrower.promise.tryFailure(new PoolClosedException(name));
                requite(entry);
            } else if (!entry.channel().isActive()) {
                borrower.promise.tryFailure(new ClosedChannelException());
                requite(entry);
            } else if (!handOver(entry, borrower)) {
                requite(entry);
            }
        });
    }

    /** Opens idle connections until {@code min_idle} are idle (or opening), within the ceiling. */
    void fillToMinIdle() {
        if (settings.minIdle() == 0 || settings.eventLoops() == null) {
            return;
        }
        while (!closed.get()
                && bag.count(PoolEntry.NOT_IN_USE) + bag.count(PoolEntry.RESERVED) + warming.get() < settings.minIdle()
                && slots.tryAcquire()) {
            warming.incrementAndGet();
            EventLoop loop = settings.eventLoops().next();
            connect(loop).addListener(f -> {
                if (f.isSuccess()) {
                    warmFailureLogged.set(false);
                    // Registered before it stops counting as warming: in between, a concurrent top-up would see one
                    // connection too few and open an extra one.
                    register((Channel) f.getNow(), PoolEntry.NOT_IN_USE);
                    warming.decrementAndGet();
                } else {
                    warming.decrementAndGet();
                    slots.release();
                    if (warmFailureLogged.compareAndSet(false, true)) {
                        log.warn("{} - cannot open an idle connection (min_idle={}); retrying at housekeeping",
                                name, settings.minIdle(), f.cause());
                    } else {
                        log.debug("{} - cannot open an idle connection", name, f.cause());
                    }
                }
                serviceWaiters();
            });
        }
    }

    private Future<Channel> connect(EventLoop loop) {
        try {
            Future<Channel> f = factory.connect(loop);
            return f != null ? f : loop.newFailedFuture(new NullPointerException("ConnectionFactory returned null"));
        } catch (Throwable t) {
            return loop.newFailedFuture(t);
        }
    }

    private PoolEntry register(Channel channel, int state) {
        long now = ticker.getAsLong();
        long lifetime = LifetimeJitter.lifetimeNanos(settings.maxLifetimeNanos(), ThreadLocalRandom.current());
        PoolEntry entry = new PoolEntry(channel, now, lifetime, state);
        bag.add(entry);
        metrics.recordCreated();
        channel.closeFuture().addListener(f -> onChannelClosed(entry));
        return entry;
    }

    // ---------------------------------------------------------------- housekeeping, eviction, close

    /** Passes are rare and must not overlap (see {@link HouseKeeper#run()}); the borrow path never takes this lock. */
    @Override
    public void runHousekeeping() {
        synchronized (houseKeeper) {
            runHousekeepingPass();
        }
    }

    private void runHousekeepingPass() {
        try {
            houseKeeper.run();
        } catch (RuntimeException e) {
            if (housekeepingFailureLogged.compareAndSet(false, true)) {
                log.warn("{} - housekeeping failed; will try again next time", name, e);
            } else {
                log.debug("{} - housekeeping failed", name, e);
            }
        }
    }

    @Override
    public void evictIdle() {
        for (PoolEntry entry : bag.snapshot()) {
            remove(entry, PoolEntry.NOT_IN_USE, EvictionReason.EVICTED);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ScheduledFuture<?> task = houseKeeperTask;
        if (task != null) {
            task.cancel(false);
        }
        serviceWaiters(); // sees closed: fails waiters, closes idle entries
        try {
            metrics.close();
        } catch (RuntimeException e) {
            log.warn("{} - closing the metrics tracker failed", name, e);
        }
    }

    /** After close: fail every waiter and close every idle entry; borrowed ones close when they come back. */
    private void shutDownSweep() {
        for (Waiter waiter; (waiter = waiters.poll()) != null; ) {
            waiter.cancelTimeout();
            waiter.promise.tryFailure(new PoolClosedException(name));
        }
        for (PoolEntry entry : bag.snapshot()) {
            remove(entry, PoolEntry.NOT_IN_USE, EvictionReason.CLOSED);
        }
    }

    @Override
    public PoolStats stats() {
        return new PoolStats(
                slots.used(),
                bag.count(PoolEntry.IN_USE),
                bag.count(PoolEntry.NOT_IN_USE) + bag.count(PoolEntry.RESERVED),
                waiters.size());
    }

    @Override
    public String toString() {
        return "UpstreamPool[" + name + ", " + stats() + (closed.get() ? ", closed]" : "]");
    }
}

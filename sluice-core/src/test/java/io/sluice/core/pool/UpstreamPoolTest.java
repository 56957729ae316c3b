package io.sluice.core.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.sluice.core.config.PoolConfig;
import io.sluice.core.pool.PoolMetricsTracker.EvictionReason;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UpstreamPoolTest extends PoolTestSupport {

    @Test
    void reusesIdleConnectionInsteadOfOpeningNew() throws Exception {
        UpstreamPool pool = build(config(0, 5));

        for (int i = 0; i < 1_000; i++) {
            PooledConnection connection = take(pool.acquire(loop1));
            assertThat(connection.channel().isActive()).isTrue();
            connection.release();
        }

        assertThat(factory.connects()).isEqualTo(1);
        await().untilAsserted(() -> assertThat(server.accepted()).isEqualTo(1));
        assertThat(pool.stats()).isEqualTo(new PoolStats(1, 0, 1, 0));
        assertThat(tracker.acquires).hasValue(1_000);
    }

    @Test
    void neverExceedsMaxConnections() throws Exception {
        UpstreamPool pool = build(config(0, 3));

        List<Future<PooledConnection>> acquires = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            acquires.add(pool.acquire(i % 2 == 0 ? loop1 : loop2));
        }
        await().until(() -> acquires.stream().filter(Future::isDone).count() == 3);
        assertThat(pool.stats()).isEqualTo(new PoolStats(3, 3, 0, 7));
        // Each release hands the connection to the oldest waiter, so they complete in order.
        for (Future<PooledConnection> acquire : acquires) {
            take(acquire).release();
        }
        assertThat(pool.stats()).isEqualTo(new PoolStats(3, 0, 3, 0));

        // Many threads at once: never more than three borrowed, never a fourth connection.
        AtomicInteger borrowed = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        PooledConnection c = take(pool.acquire((id + i) % 2 == 0 ? loop1 : loop2));
                        peak.accumulateAndGet(borrowed.incrementAndGet(), Math::max);
                        borrowed.decrementAndGet();
                        c.release();
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(peak.get()).isBetween(1, 3);
        assertThat(factory.connects()).isEqualTo(3);
        assertThat(pool.stats()).isEqualTo(new PoolStats(3, 0, 3, 0));
    }

    @Test
    void waiterGetsConnectionReleasedByAnother() throws Exception {
        UpstreamPool pool = build(config(0, 1));
        PooledConnection first = take(pool.acquire(loop1));

        Future<PooledConnection> waiting = pool.acquire(loop2);
        assertThat(waiting.isDone()).isFalse();
        assertThat(pool.stats()).isEqualTo(new PoolStats(1, 1, 0, 1));

        first.release();

        PooledConnection second = take(waiting);
        assertThat(second.channel()).isSameAs(first.channel());
        assertThat(second.channel().isActive()).isTrue();
        assertThat(factory.connects()).isEqualTo(1);
        assertThat(pool.stats()).isEqualTo(new PoolStats(1, 1, 0, 0));
    }

    @Test
    void waiterFailsAfterWaitTimeoutWithPoolStateInMessage() throws Exception {
        UpstreamPool pool = build(config(0, 1));
        PooledConnection held = take(pool.acquire(loop1));
        Future<PooledConnection> waiting = pool.acquire(loop2);

        advance(Duration.ofMillis(9_999));
        pool.runHousekeeping();
        assertThat(waiting.isDone()).isFalse();

        advance(Duration.ofMillis(1));
        pool.runHousekeeping();

        assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(waiting.cause())
                .isInstanceOf(PoolTimeoutException.class)
                .hasMessage("backend-a - connection not available, request timed out after 10000ms"
                        + " (total=1, active=1, idle=0, waiting=0)");
        assertThat(((PoolTimeoutException) waiting.cause()).waited()).isEqualTo(Duration.ofSeconds(10));
        assertThat(tracker.timeouts).hasValue(1);
        assertThat(pool.stats().pending()).isZero();

        held.release();
        assertThat(pool.stats()).isEqualTo(new PoolStats(1, 0, 1, 0));
    }

    @Test
    void closesConnectionsIdleLongerThanIdleTimeoutButKeepsMinIdle() throws Exception {
        UpstreamPool pool = build(config(1, 4));
        await().until(() -> pool.stats().idle() == 1); // pre-warmed
        List<PooledConnection> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(take(pool.acquire(loop1)));
        }
        // Released ten seconds apart: the last one back is the one kept.
        for (PooledConnection connection : held) {
            connection.release();
            advance(Duration.ofSeconds(10));
        }
        assertThat(pool.stats()).isEqualTo(new PoolStats(4, 0, 4, 0));

        advance(Duration.ofSeconds(20)); // the first one back has been idle exactly idle_timeout
        pool.runHousekeeping();
        assertThat(pool.stats().idle()).isEqualTo(4);

        advance(Duration.ofMillis(1));
        pool.runHousekeeping();
        assertThat(pool.stats()).isEqualTo(new PoolStats(3, 0, 3, 0));
        assertThat(tracker.evictions(EvictionReason.IDLE_TIMEOUT)).isEqualTo(1);

        advance(Duration.ofSeconds(30)); // all idle > 60 s now (but well within max_lifetime)
        pool.runHousekeeping();
        assertThat(pool.stats()).isEqualTo(new PoolStats(1, 0, 1, 0)); // min_idle stays
        assertThat(tracker.evictions(EvictionReason.IDLE_TIMEOUT)).isEqualTo(3);
        await().untilAsserted(() -> assertThat(server.open()).isEqualTo(1));
        assertThat(take(pool.acquire(loop1)).channel()).isSameAs(held.get(3).channel());
        assertThat(factory.connects()).isEqualTo(4);
    }

    @Test
    void retiresConnectionsPastMaxLifetimeWithJitter() throws Exception {
        PoolConfig config = new PoolConfig(0, 3, Duration.ZERO, Duration.ofSeconds(300), Duration.ofSeconds(30),
                Duration.ofSeconds(10));
        UpstreamPool pool = build(config);
        PooledConnection a = take(pool.acquire(loop1));
        PooledConnection b = take(pool.acquire(loop1));
        PooledConnection inUse = take(pool.acquire(loop2));
        a.release();
        b.release();

        // Jitter takes at most 2.5 % off: nobody is retired before 292.5 s.
        advance(Duration.ofMillis(292_500 - 1));
        pool.runHousekeeping();
        assertThat(pool.stats()).isEqualTo(new PoolStats(3, 1, 2, 0));

        advance(Duration.ofMillis(7_500 + 1)); // 300 s: everybody is past it
        pool.runHousekeeping();
        assertThat(pool.stats()).isEqualTo(new PoolStats(1, 1, 0, 0));
        assertThat(tracker.evictions(EvictionReason.MAX_LIFETIME)).isEqualTo(2);

        // The borrowed one was only marked; it closes when it comes back instead of going idle.
        assertThat(inUse.channel().isActive()).isTrue();
        inUse.release();
        assertThat(pool.stats()).isEqualTo(new PoolStats(0, 0, 0, 0));
        assertThat(tracker.evictions(EvictionReason.MAX_LIFETIME)).isEqualTo(3);
        await().until(() -> !inUse.channel().isOpen());

        PooledConnection fresh = take(pool.acquire(loop1));
        assertThat(fresh.channel()).isNotIn(a.channel(), b.channel(), inUse.channel());
        assertThat(factory.connects()).isEqualTo(4);
    }

    @Test
    void neverHandsOutAConnectionTheBackendClosed() throws Exception {
        UpstreamPool pool = build(config(0, 2));
        PooledConnection a = take(pool.acquire(loop1));
        PooledConnection b = take(pool.acquire(loop2));
        a.release();
        b.release();
        await().until(() -> server.open() == 2);

        server.closeClients(); // the backend drops its idle connections

        await().untilAsserted(() -> assertThat(pool.stats()).isEqualTo(new PoolStats(0, 0, 0, 0)));
        assertThat(tracker.evictions(EvictionReason.BROKEN)).isEqualTo(2);
        PooledConnection c = take(pool.acquire(loop1));
        assertThat(c.channel().isActive()).isTrue();
        assertThat(c.channel()).isNotIn(a.channel(), b.channel());

        // Closed while borrowed: not taken back on release.
        await().until(() -> server.open() == 1); // the server has registered it, so it can close it
        server.closeClients();
        await().until(() -> !c.channel().isActive());
        c.release();
        assertThat(pool.stats()).isEqualTo(new PoolStats(0, 0, 0, 0));
        assertThat(tracker.evictions(EvictionReason.BROKEN)).isEqualTo(3);

        PooledConnection d = take(pool.acquire(loop2));
        assertThat(d.channel().isActive()).isTrue();
        assertThat(factory.connects()).isEqualTo(4);
    }

    @Test
    void discardFreesSlotForNextAcquirer() throws Exception {
        UpstreamPool pool = build(config(0, 1));
        PooledConnection first = take(pool.acquire(loop1));
        Future<PooledConnection> waiting = pool.acquire(loop2);

        first.discard();

        PooledConnection second = take(waiting);
        assertThat(second.channel()).isNotSameAs(first.channel());
        assertThat(second.channel().isActive()).isTrue();
        assertThat(second.channel().eventLoop()).isSameAs(loop2); // opened on the waiter's loop
        await().until(() -> !first.channel().isOpen());
        assertThat(factory.connects()).isEqualTo(2);
        assertThat(tracker.evictions(EvictionReason.DISCARDED)).isEqualTo(1);
        assertThat(pool.stats()).isEqualTo(new PoolStats(1, 1, 0, 0));
    }

    @Test
    void connectFailureFailsAcquirerAndFreesSlot() throws Exception {
        InetSocketAddress refusing = LoopbackConnectionFactory.refusingAddress();
        Promise<Channel> firstConnect = loop1.newPromise();
        factory.replaceNextConnect(loop -> firstConnect);
        UpstreamPool pool = build(config(0, 1));

        Future<PooledConnection> failing = pool.acquire(loop1);
        Future<PooledConnection> behind = pool.acquire(loop2);
        assertThat(pool.stats()).isEqualTo(new PoolStats(1, 0, 0, 1));

        // Now let the first connect really fail: a refused loopback connect.
        LoopbackConnectionFactory.open(loop1, refusing).addListener(f -> {
            if (f.isSuccess()) {
                ((Channel) f.getNow()).close();
                firstConnect.setFailure(new AssertionError("expected " + refusing + " to refuse"));
            } else {
                firstConnect.setFailure(f.cause());
            }
        });

        assertThat(failing.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(failing.cause()).isInstanceOf(ConnectException.class);
        PooledConnection connection = take(behind); // the slot came free; it connected afresh
        assertThat(connection.channel().isActive()).isTrue();
        assertThat(factory.connects()).isEqualTo(2);
        assertThat(pool.stats()).isEqualTo(new PoolStats(1, 1, 0, 0));
    }

    @Test
    void prefersIdleConnectionOnCallersEventLoop() throws Exception {
        UpstreamPool pool = build(config(0, 4));
        PooledConnection on1 = take(pool.acquire(loop1));
        PooledConnection on2 = take(pool.acquire(loop2));
        assertThat(on1.channel().eventLoop()).isSameAs(loop1);
        assertThat(on2.channel().eventLoop()).isSameAs(loop2);
        on1.release();
        on2.release();

        for (int i = 0; i < 20; i++) {
            PooledConnection x = take(pool.acquire(loop2));
            PooledConnection y = take(pool.acquire(loop1));
            assertThat(x.channel()).isSameAs(on2.channel());
            assertThat(y.channel()).isSameAs(on1.channel());
            x.release();
            y.release();
        }

        // The future completes on the caller's loop.
        AtomicBoolean completedOnCallersLoop = new AtomicBoolean();
        Future<PooledConnection> acquire = pool.acquire(loop2);
        acquire.addListener(f -> completedOnCallersLoop.set(loop2.inEventLoop()));
        await().untilTrue(completedOnCallersLoop);

        // Nothing idle on loop2 any more: hand over loop1's rather than open another.
        PooledConnection other = take(pool.acquire(loop2));
        assertThat(other.channel()).isSameAs(on1.channel());
        assertThat(factory.connects()).isEqualTo(2);
    }

    @Test
    void prewarmsMinIdleAtStart() throws Exception {
        UpstreamPool pool = build(config(3, 5));

        await().untilAsserted(() -> assertThat(pool.stats()).isEqualTo(new PoolStats(3, 0, 3, 0)));
        await().untilAsserted(() -> assertThat(server.accepted()).isEqualTo(3));
        assertThat(factory.connects()).isEqualTo(3);
        assertThat(tracker.created).hasValue(3);

        // Below min_idle after a discard: housekeeping tops it up again.
        take(pool.acquire(loop1)).discard();
        assertThat(pool.stats().idle()).isEqualTo(2);
        pool.runHousekeeping();
        await().untilAsserted(() -> assertThat(pool.stats()).isEqualTo(new PoolStats(3, 0, 3, 0)));
        assertThat(factory.connects()).isEqualTo(4);
    }

    @Test
    void doubleReleaseIsHarmless() throws Exception {
        UpstreamPool pool = build(config(0, 2));
        PooledConnection first = take(pool.acquire(loop1));

        first.release();
        first.release();
        first.discard();
        assertThat(pool.stats()).isEqualTo(new PoolStats(1, 0, 1, 0));
        assertThat(first.channel().isActive()).isTrue();

        // Somebody else now holds the same connection; the stale loan cannot end theirs.
        PooledConnection second = take(pool.acquire(loop1));
        assertThat(second.channel()).isSameAs(first.channel());
        first.release();
        first.discard();
        assertThat(pool.stats()).isEqualTo(new PoolStats(1, 1, 0, 0));
        assertThat(second.channel().isActive()).isTrue();

        second.release();
        assertThat(pool.stats()).isEqualTo(new PoolStats(1, 0, 1, 0));
        assertThat(factory.connects()).isEqualTo(1);
        assertThat(tracker.evictions(EvictionReason.DISCARDED)).isZero();
    }

    @Test
    void closeFailsWaiters() throws Exception {
        UpstreamPool pool = build(config(0, 2));
        PooledConnection a = take(pool.acquire(loop1));
        PooledConnection b = take(pool.acquire(loop2));
        Future<PooledConnection> w1 = pool.acquire(loop1);
        Future<PooledConnection> w2 = pool.acquire(loop2);

        pool.close();

        for (Future<PooledConnection> waiter : List.of(w1, w2)) {
            assertThat(waiter.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(waiter.cause()).isInstanceOf(PoolClosedException.class).hasMessage("backend-a - pool is closed");
        }
        assertThat(pool.stats()).isEqualTo(new PoolStats(2, 2, 0, 0));

        // Borrowed connections close when they come back.
        a.release();
        b.release();
        assertThat(pool.stats()).isEqualTo(new PoolStats(0, 0, 0, 0));
        await().until(() -> !a.channel().isOpen() && !b.channel().isOpen());
        assertThat(tracker.evictions(EvictionReason.CLOSED)).isEqualTo(2);

        Future<PooledConnection> late = pool.acquire(loop1);
        assertThat(late.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(late.cause()).isInstanceOf(PoolClosedException.class);
        assertThatThrownBy(() -> take(late)).hasCauseInstanceOf(PoolClosedException.class);
    }

    @Test
    void closeClosesIdleConnectionsAtOnce() throws Exception {
        UpstreamPool pool = build(config(0, 2));
        PooledConnection a = take(pool.acquire(loop1));
        a.release();

        pool.close();

        assertThat(pool.stats()).isEqualTo(new PoolStats(0, 0, 0, 0));
        await().until(() -> !a.channel().isOpen());
        await().untilAsserted(() -> assertThat(server.open()).isZero());
    }

    @Test
    void evictIdleClosesIdleButNotBorrowed() throws Exception {
        UpstreamPool pool = build(config(0, 3));
        PooledConnection a = take(pool.acquire(loop1));
        PooledConnection b = take(pool.acquire(loop1));
        PooledConnection held = take(pool.acquire(loop2));
        a.release();
        b.release();

        pool.evictIdle();

        assertThat(pool.stats()).isEqualTo(new PoolStats(1, 1, 0, 0));
        assertThat(tracker.evictions(EvictionReason.EVICTED)).isEqualTo(2);
        assertThat(held.channel().isActive()).isTrue();
        held.release();
        assertThat(pool.stats()).isEqualTo(new PoolStats(1, 0, 1, 0));
    }
}

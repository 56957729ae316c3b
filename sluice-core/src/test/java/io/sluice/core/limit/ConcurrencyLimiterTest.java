package io.sluice.core.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.sluice.core.limit.ConcurrencyLimiter.Permit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConcurrencyLimiterTest {

    /** An event loop whose clock only moves when told: queue timeouts fire without waiting. */
    private final EmbeddedChannel loop = new EmbeddedChannel();
    private final EventExecutor executor = loop.eventLoop();
    private long nanos;

    @BeforeEach
    void freezeTime() {
        loop.freezeTime();
    }

    @AfterEach
    void close() {
        loop.finishAndReleaseAll();
    }

    @Test
    void refusesBeyondTheLimitImmediately() {
        ConcurrencyLimiter limiter = ConcurrencyLimiter.of("api", 2);
        Permit a = limiter.tryAcquire();
        Permit b = limiter.tryAcquire();

        assertThat(a).isNotNull();
        assertThat(b).isNotNull();
        assertThat(limiter.tryAcquire()).isNull();
        Future<Permit> queued = limiter.acquire(executor);
        assertThat(queued.isDone()).isTrue();
        assertThat(queued.cause()).isInstanceOf(ConcurrencyLimitException.class)
                .hasMessage("api: all permits in use (inFlight=2, max=2, queued=0, queueSize=0)");
    }

    @Test
    void closedPermitsReturnAndClosingTwiceReturnsOnlyOne() {
        ConcurrencyLimiter limiter = ConcurrencyLimiter.of("api", 1);
        Permit p = limiter.tryAcquire();

        p.close();
        p.close();

        assertThat(limiter.inFlight()).isZero();
        assertThat(limiter.tryAcquire()).isNotNull();
        assertThat(limiter.tryAcquire()).isNull();
    }

    @Test
    void queuedRequestGetsTheNextFreedPermitInArrivalOrder() {
        ConcurrencyLimiter limiter = queued(1, 2, Duration.ofSeconds(1));
        Permit first = limiter.tryAcquire();
        Future<Permit> second = limiter.acquire(executor);
        Future<Permit> third = limiter.acquire(executor);
        assertThat(second.isDone()).isFalse();
        assertThat(limiter.queued()).isEqualTo(2);

        first.close();

        assertThat(second.getNow()).isNotNull();
        assertThat(third.isDone()).isFalse();
        assertThat(limiter.inFlight()).isEqualTo(1);
        second.getNow().close();
        third.getNow().close();
        assertThat(limiter.inFlight()).isZero();
        assertThat(limiter.queued()).isZero();
    }

    @Test
    void refusesWhenTheQueueIsFull() {
        ConcurrencyLimiter limiter = queued(1, 1, Duration.ofSeconds(1));
        limiter.tryAcquire();
        limiter.acquire(executor);

        Future<Permit> refused = limiter.acquire(executor);

        assertThat(((ConcurrencyLimitException) refused.cause()).reason()).isEqualTo(ConcurrencyRejection.QUEUE_FULL);
    }

    @Test
    void queuedRequestFailsAfterTheQueueTimeoutAndLeavesTheQueue() {
        Recorded metrics = new Recorded();
        ConcurrencyLimiter limiter = ConcurrencyLimiter.withClock("api", 1, 5, Duration.ofSeconds(1),
                metrics, () -> nanos);
        Permit held = limiter.tryAcquire();
        Future<Permit> waiting = limiter.acquire(executor);
        assertThat(limiter.queued()).isEqualTo(1);

        loop.advanceTimeBy(999, TimeUnit.MILLISECONDS);
        loop.runScheduledPendingTasks();
        assertThat(waiting.isDone()).isFalse();
        loop.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        loop.runScheduledPendingTasks();

        assertThat(((ConcurrencyLimitException) waiting.cause()).reason()).isEqualTo(ConcurrencyRejection.QUEUE_TIMEOUT);
        assertThat(limiter.queued()).isZero();
        assertThat(metrics.rejected).containsExactly(ConcurrencyRejection.QUEUE_TIMEOUT);
        held.close();
        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void recordsHowLongAQueuedRequestWaited() {
        Recorded metrics = new Recorded();
        ConcurrencyLimiter limiter = ConcurrencyLimiter.withClock("api", 1, 5, Duration.ofSeconds(1),
                metrics, () -> nanos);
        Permit held = limiter.tryAcquire();
        limiter.acquire(executor);

        nanos += Duration.ofMillis(250).toNanos();
        held.close();

        assertThat(metrics.waits).containsExactly(Duration.ofMillis(250).toNanos());
    }

    @Test
    void cancelledWaiterGivesUpItsPlace() {
        ConcurrencyLimiter limiter = queued(1, 1, Duration.ofSeconds(1));
        Permit held = limiter.tryAcquire();
        Future<Permit> waiting = limiter.acquire(executor);

        waiting.cancel(false);
        held.close();

        assertThat(limiter.queued()).isZero();
        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void manyThreadsAcquiringAndReleasingLeakNoPermits() throws Exception {
        ConcurrencyLimiter limiter = queued(4, 20_000, Duration.ofMinutes(1)); // room for every request
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch done = new CountDownLatch(8 * 2_000);
        List<Throwable> failures = new ArrayList<>();
        DefaultEventLoopGroup loops = new DefaultEventLoopGroup(4);
        for (int t = 0; t < 8; t++) {
            EventExecutor callerLoop = loops.next();
            threads.execute(() -> {
                for (int i = 0; i < 2_000; i++) {
                    limiter.acquire(callerLoop).addListener(f -> {
                        if (f.isSuccess()) {
                            ((Permit) f.getNow()).close();
                        } else {
                            synchronized (failures) {
                                failures.add(f.cause());
                            }
                        }
                        done.countDown();
                    });
                }
            });
        }

        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        threads.shutdown();
        loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        assertThat(failures).isEmpty();
        assertThat(limiter.inFlight()).isZero();
        assertThat(limiter.queued()).isZero();
    }

    private ConcurrencyLimiter queued(int max, int queueSize, Duration timeout) {
        return ConcurrencyLimiter.withClock("api", max, queueSize, timeout, ConcurrencyLimiter.Metrics.NONE, () -> nanos);
    }

    private static final class Recorded implements ConcurrencyLimiter.Metrics {
        final List<ConcurrencyRejection> rejected = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<Long> waits = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void rejected(ConcurrencyRejection reason) {
            rejected.add(reason);
        }

        @Override
        public void queueWait(long nanos) {
            waits.add(nanos);
        }
    }
}

package io.sluice.bench.load;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One request at a time, on one event loop: a HTTP/1.1 connection or one of the concurrent streams of an HTTP/2
 * connection. Decides when to send (closed model: as soon as the previous response is complete; open model: at
 * the next slot of its fixed schedule, or at once if that slot has already passed) and records the outcome.
 *
 * <p>Open model, after wrk2: the schedule never moves. If the server stalls for 100 ms, the requests whose slots
 * fell inside the stall go out late, one after another, and each is charged from its <em>intended</em> time, so
 * the stall appears in the tail once per request it delayed rather than once in total.
 */
final class Lane {

    /** After a failed connect, the closed model waits this long before trying again instead of spinning. */
    private static final long RETRY_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Connection connection;
    private final EventExecutor loop;
    private final RunControl run;
    private final Probe probe;
    private final long intervalNanos;
    private long nextIntended;

    private boolean inFlight;
    private boolean done;
    private long intendedNanos;
    private long sentNanos;
    /** The HTTP/2 stream channel carrying the request in flight, for a timeout to close. */
    Object stream;

    Lane(Connection connection, RunControl run, Probe probe, long intervalNanos, long firstIntended) {
        this.connection = connection;
        this.loop = connection.loop();
        this.run = run;
        this.probe = probe;
        this.intervalNanos = intervalNanos;
        this.nextIntended = firstIntended;
    }

    Connection connection() {
        return connection;
    }

    void start() {
        schedule(nextIntended);
    }

    private void schedule(long atNanos) {
        long delay = atNanos - System.nanoTime();
        if (delay <= 0) {
            loop.execute(this::fire);
        } else {
            loop.schedule(this::fire, delay, TimeUnit.NANOSECONDS);
        }
    }

    private void fire() {
        if (done || inFlight) {
            return;
        }
        long send = intervalNanos > 0 ? nextIntended : System.nanoTime();
        if (!run.admit(send)) {
            done = true;
            run.laneDone();
            return;
        }
        intendedNanos = send;
        sentNanos = 0;
        inFlight = true;
        connection.send(this);
    }

    /** The request is on its way (after connect, if one was needed). */
    void sent() {
        sentNanos = System.nanoTime();
    }

    boolean inFlight() {
        return inFlight;
    }

    boolean measured() {
        return run.measured(intendedNanos);
    }

    /** Has the request in flight been waiting longer than {@code timeoutNanos} since it was written? */
    boolean overdue(long now, long timeoutNanos) {
        return inFlight && sentNanos != 0 && now - sentNanos > timeoutNanos;
    }

    void completed(int status) {
        if (!inFlight) {
            return;
        }
        long now = System.nanoTime();
        if (measured()) {
            long sent = sentNanos == 0 ? now : sentNanos;
            probe.response(now - intendedNanos, now - sent);
            if (status >= 500) {
                probe.error(ErrorKind.STATUS_5XX);
            } else if (status >= 400) {
                probe.error(ErrorKind.STATUS_4XX);
            }
        }
        if (intervalNanos == 0) {
            inFlight = false;
            stream = null;
            fire(); // closed model: straight back to the wire from the read, no task hop
            return;
        }
        next(false);
    }

    void failed(ErrorKind kind) {
        if (!inFlight) {
            return;
        }
        if (measured()) {
            probe.error(kind);
        }
        next(kind == ErrorKind.CONNECT);
    }

    private void next(boolean backoff) {
        inFlight = false;
        stream = null;
        if (intervalNanos > 0) {
            nextIntended += intervalNanos;
            schedule(nextIntended);
        } else {
            schedule(backoff ? System.nanoTime() + RETRY_BACKOFF_NANOS : 0);
        }
    }
}

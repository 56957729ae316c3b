package io.sluice.transfer.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.sluice.core.pool.PooledConnection;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One response, read by a worker thread through a blocking API while the event loop never blocks.
 *
 * <p>The connection runs with {@code AUTO_READ} off and reads ahead a bounded amount: the event loop
 * reads on by itself while less than {@link #READ_AHEAD} bytes wait for the worker, and stops there;
 * the worker starts it again when it has taken the queue down to half of that (or to nothing). So each
 * connection holds at most {@code READ_AHEAD} plus one read (Netty's fixed-size receive buffers)
 * whatever the body size, and the two threads meet about once per {@code READ_AHEAD / 2} bytes instead
 * of once per read: while the worker keeps up, the loop never needs waking by it, and while it lags, it
 * finds buffers queued instead of parking. {@link #next()} hands over ownership of each buffer; the
 * caller releases it after writing.
 *
 * <p>{@link #close()} returns the connection to the pool only after a complete keep-alive
 * response; anything else (an abandoned body, a failure) discards it.
 */
public final class ResponseStream implements AutoCloseable {

    private record Failure(IOException cause) {}

    /** Bytes the event loop may queue ahead of the worker before it stops reading (4 reads). */
    static final int READ_AHEAD = 4 * RangeClient.READ_BUFFER;
    /** The worker restarts reading when it has taken the queue down to this. */
    private static final int RESUME_BELOW = READ_AHEAD / 2;

    private final PooledConnection connection;
    private final ExchangeHandler handler;
    private final long readTimeoutNanos;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean reading = new AtomicBoolean();
    /** Body bytes delivered and not yet taken by the worker. */
    private final AtomicLong queued = new AtomicLong();
    private HttpResponse head;
    private boolean complete;
    private boolean failed;
    private boolean closed;

    ResponseStream(PooledConnection connection, ExchangeHandler handler, long readTimeoutNanos) {
        this.connection = connection;
        this.handler = handler;
        this.readTimeoutNanos = readTimeoutNanos;
    }

    // ---- event loop side

    void deliver(Object msg) {
        if (msg instanceof HttpContent content) {
            queued.addAndGet(content.content().readableBytes());
        }
        queue.add(msg);
    }

    /**
     * A socket read ended. While less than {@link #READ_AHEAD} is queued, read on now (on the loop: no
     * wake-up). Otherwise stop; the worker restarts reading when it has drained the queue to
     * {@link #RESUME_BELOW}. {@code reading} is cleared before {@code queued} is looked at, and the worker
     * lowers {@code queued} before it looks at {@code reading}, so at least one side sees the other's
     * change, and the compare-and-set lets exactly one of them ask for the next read.
     */
    void readCompleted(Channel ch) {
        reading.set(false);
        if (queued.get() < READ_AHEAD && reading.compareAndSet(false, true)) {
            ch.read();
        }
    }

    void fail(IOException cause) {
        queue.add(new Failure(cause));
    }

    // ---- worker side

    /** The status line and headers; waits for them. */
    public HttpResponse head() throws IOException {
        if (head == null) {
            Object item = take();
            if (!(item instanceof HttpResponse response)) {
                ReferenceCountUtil.release(item);
                failed = true;
                throw new TransientException("expected a response head, got " + item.getClass().getSimpleName());
            }
            checkDecoded(response);
            head = response;
            if (item instanceof HttpContent content) { // a full response in one message
                return headWithBody(content);
            }
        }
        return head;
    }

    private HttpResponse headWithBody(HttpContent content) {
        pendingFirst = content;
        return head;
    }

    private HttpContent pendingFirst;

    /** The next body buffer, owned by the caller (release it); null at the end of the body. */
    public ByteBuf next() throws IOException {
        head();
        while (!complete) {
            Object item;
            if (pendingFirst != null) {
                item = pendingFirst;
                pendingFirst = null;
            } else {
                item = take();
            }
            if (!(item instanceof HttpContent content)) {
                ReferenceCountUtil.release(item);
                failed = true;
                throw new TransientException("unexpected " + item.getClass().getSimpleName() + " in a response body");
            }
            checkDecoded((HttpObject) item);
            if (item instanceof LastHttpContent) {
                complete = true;
            }
            ByteBuf buf = content.content();
            if (buf.isReadable()) {
                return buf;
            }
            buf.release();
        }
        return null;
    }

    private void checkDecoded(HttpObject msg) throws TransientException {
        if (msg.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            failed = true;
            throw new TransientException("malformed response: " + msg.decoderResult().cause(), msg.decoderResult().cause());
        }
    }

    private Object take() throws IOException {
        Object item = queue.poll();
        if (item == null) {
            readMore();
            try {
                item = queue.poll(readTimeoutNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed = true;
                throw new InterruptedIOException("interrupted while reading a response");
            }
            if (item == null) {
                failed = true;
                throw new TransientException("no data from the server for " + TimeUnit.NANOSECONDS.toMillis(readTimeoutNanos) + " ms");
            }
        }
        if (item instanceof Failure f) {
            failed = true;
            throw f.cause();
        }
        if (item instanceof HttpContent content
                && queued.addAndGet(-content.content().readableBytes()) <= RESUME_BELOW) {
            readMore();
        }
        return item;
    }

    /** Asks the loop for the next read unless one is pending or the loop is reading on by itself. */
    private void readMore() {
        if (!reading.get() && reading.compareAndSet(false, true)) {
            connection.channel().read();
        }
    }

    /** Ends the exchange: reuse the connection after a complete keep-alive response, else discard it. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        handler.detach();
        Channel ch = connection.channel();
        boolean reusable = complete && !failed && head != null && HttpUtil.isKeepAlive(head) && queue.isEmpty();
        if (pendingFirst != null) {
            pendingFirst.release();
            pendingFirst = null;
        }
        // Drain on the loop: deliver() runs there, so nothing can slip in after the drain.
        ch.eventLoop().execute(this::drain);
        if (reusable) {
            connection.release();
            ch.read(); // keep a read pending while idle so that a server's FIN closes it promptly
        } else {
            connection.discard();
        }
    }

    private void drain() {
        Object item;
        while ((item = queue.poll()) != null) {
            ReferenceCountUtil.release(item);
        }
    }
}

package io.sluice.transfer;

import io.netty.buffer.ByteBuf;
import io.sluice.transfer.export.Compression;
import io.sluice.transfer.export.ReorderBuffer;
import io.sluice.transfer.export.StreamSink;
import io.sluice.transfer.http.RangeClient;
import io.sluice.transfer.http.RemoteFile;
import io.sluice.transfer.internal.JobContext;
import io.sluice.transfer.internal.RangeFetcher;
import io.sluice.transfer.internal.StreamFetcher;
import io.sluice.transfer.plan.ByteRange;
import io.sluice.transfer.plan.Segment;
import io.sluice.transfer.plan.WorkQueue;
import io.sluice.transfer.verify.ExpectedDigest;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code sluice fetch URL --compress ... -o -|FILE|http(s)://target}: streams the source to one output in file
 * order, compressing on the fly, with no intermediate file (seed 000's streaming export).
 *
 * <p>Ranges are fetched by {@code workers} threads in parallel exactly as for a download (same strict 206 checks,
 * If-Range, retries and work stealing), but land in a {@link ReorderBuffer} instead of a file; this thread takes
 * the pieces back in order, feeds the digest (if one is expected) and the compressor, and writes to the output.
 * Memory is bounded by the buffer's capacity (default {@code workers × chunk}). A server without ranges, or of
 * unknown size, is read with one plain GET on this thread, straight to the output ({@link StreamSink}); it is retried
 * only until its first byte went out. An export cannot be resumed: the output is a stream; on failure
 * an {@link Abortable} output (an HTTP upload, a temporary file) is abandoned, never completed short.
 */
public final class ExportJob {

    private static final int MAX_REDIRECTS = 5;

    private final FetchOptions options;
    private final Compression compression;
    private final long capacity;
    private final FetchListener listener;
    private volatile JobContext context;
    private volatile long size = -1;
    private volatile boolean cancelled;

    private ExportJob(FetchOptions options, Compression compression, long capacity, FetchListener listener) {
        this.options = options;
        this.compression = compression;
        this.capacity = capacity;
        this.listener = listener == null ? FetchListener.NONE : listener;
    }

    /** @param capacity most bytes buffered for reordering; 0: {@code workers × chunk} */
    public static ExportJob create(FetchOptions options, Compression compression, long capacity, FetchListener listener) {
        return new ExportJob(options, compression, capacity, listener);
    }

    /** Default chunk of an export: smaller than a download's, since the reorder buffer holds up to workers × chunk. */
    public static final long DEFAULT_CHUNK = 4L << 20;

    public void cancel() {
        cancelled = true;
        JobContext ctx = context;
        if (ctx != null) {
            ctx.cancel("cancelled");
        }
    }

    public Progress progress() {
        JobContext ctx = context;
        return ctx == null ? Progress.NOT_STARTED : new Progress(size, ctx.fetched(), List.of());
    }

    /** Streams the source to {@code out} (compressed), closing it at the end; returns what was done. */
    public ExportResult run(OutputStream out) throws IOException {
        long started = System.nanoTime();
        FetchJob prober = FetchJob.create(options, listener);
        RangeClient client = null;
        CountingStream counted = new CountingStream(out);
        try {
            URI uri = options.url();
            RemoteFile remote;
            for (int hop = 0; ; hop++) {
                client = RangeClient.open(uri, options.workers() + 1, options.connectTimeout(), options.readTimeout(),
                        options.httpVersion(), options.trustedCertificates());
                remote = prober.probe(client, uri);
                if (remote.uri() == uri) {
                    break;
                }
                if (hop == MAX_REDIRECTS) {
                    throw new FetchException("more than " + MAX_REDIRECTS + " redirects from " + options.url());
                }
                client.close();
                client = null;
                uri = remote.uri();
            }
            size = remote.size();
            boolean ranged = remote.acceptRanges() && remote.size() > 0;
            long chunk = options.chunkSize() > 0 ? options.chunkSize() : DEFAULT_CHUNK;
            int workers = ranged ? (int) Math.max(1, Math.min(options.workers(), (remote.size() + chunk - 1) / chunk)) : 1;
            ExpectedDigest expected = expectedDigest(remote);
            MessageDigest digest = expected == null ? null : messageDigest(expected);
            listener.started(remote.size(), 0, ranged ? chunk : 0, workers, ranged);
            OutputStream sink = compression.wrap(counted);
            if (!ranged) {
                if (remote.size() != 0) {
                    listener.notice(remote.uri() + (remote.acceptRanges() ? " gives no size" : " gives no byte ranges")
                            + ": exporting it as one stream");
                }
                StreamSink stream = new StreamSink(sink, digest);
                JobContext ctx = attach(new JobContext(options, listener, client, remote.uri(), remote.size(), null,
                        false, null, stream));
                try {
                    new StreamFetcher(ctx).fetch();
                } catch (InterruptedIOException e) {
                    throw explain(e);
                }
                String verified = verify(digest, expected);
                sink.close();
                return new ExportResult(stream.written(), counted.count, System.nanoTime() - started, 1, 0,
                        compression.toString(), 0, ctx.retries(), client.protocol(), client.connectionsOpened(),
                        verified);
            }
            long cap = Math.max(chunk, capacity > 0 ? capacity : workers * chunk);
            try (ReorderBuffer buffer = new ReorderBuffer(remote.size(), cap)) {
                JobContext ctx = attach(new JobContext(options, listener, client, remote.uri(), remote.size(),
                        remote.validator(), remote.strongEtag() != null, null, buffer));
                List<Thread> threads = new ArrayList<>();
                AtomicReference<Throwable> failure = new AtomicReference<>();
                WorkQueue queue = new WorkQueue(List.of(new ByteRange(0, Math.max(0, remote.size()))), chunk,
                        FetchJob.MIN_STEAL);
                for (int i = 0; i < workers; i++) {
                    threads.add(Thread.ofPlatform().name("sluice-export-" + i).daemon()
                            .start(() -> work(ctx, queue, buffer, failure)));
                }
                long taken = 0;
                try {
                    ByteBuf piece;
                    while ((piece = buffer.take()) != null) {
                        try {
                            int n = piece.readableBytes();
                            if (digest != null) {
                                digest.update(piece.nioBuffer());
                            }
                            piece.getBytes(piece.readerIndex(), sink, n);
                            taken += n;
                        } finally {
                            piece.release();
                        }
                    }
                } catch (IOException e) {
                    ctx.cancel("stopped: " + e.getMessage());
                    buffer.fail(e);
                    join(threads);
                    Throwable cause = failure.get() != null ? failure.get() : e;
                    throw explain(cause);
                }
                join(threads);
                String verified = verify(digest, expected);
                sink.close(); // finishes the compressed stream before counting
                return new ExportResult(taken, counted.count, System.nanoTime() - started, workers, chunk,
                        compression.toString(), buffer.peakBuffered(), ctx.retries(), client.protocol(),
                        client.connectionsOpened(), verified);
            }
        } catch (IOException | RuntimeException | Error e) {
            abort(out);
            throw e;
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }

    /** Publishes the running job's context to {@link #cancel()}, honouring a cancel that came before it. */
    private JobContext attach(JobContext ctx) {
        context = ctx;
        if (cancelled) {
            ctx.cancel("cancelled");
        }
        return ctx;
    }

    /** Checks the whole stream's digest; returns {@code algo:hex}, or null when none was expected. */
    private static String verify(MessageDigest digest, ExpectedDigest expected) throws FetchException {
        if (digest == null) {
            return null;
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        String name = expected.algorithm().toLowerCase(Locale.ROOT).replace("-", "");
        if (!actual.equals(expected.hex())) {
            throw new FetchException("the exported stream's " + name + " is " + actual + ", expected "
                    + expected.hex() + " (from " + expected.source() + ")");
        }
        return name + ":" + actual;
    }

    /** An output that can be abandoned so that its reader sees a failure, not a short but complete stream. */
    public interface Abortable {
        void abort();
    }

    private static void abort(OutputStream out) {
        if (out instanceof Abortable a) {
            a.abort();
        }
    }

    private void work(JobContext ctx, WorkQueue queue, ReorderBuffer buffer, AtomicReference<Throwable> failure) {
        RangeFetcher fetcher = new RangeFetcher(ctx);
        while (failure.get() == null && !ctx.isCancelled()) {
            Segment segment = queue.next();
            if (segment == null) {
                if (queue.isDrained()) {
                    return;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                continue;
            }
            try {
                buffer.admit(segment.end());
                ByteRange done = fetcher.fetch(segment).range();
                queue.done(segment);
                listener.rangeCompleted(done);
            } catch (Throwable t) {
                queue.giveBack(segment);
                if (failure.compareAndSet(null, t)) {
                    ctx.cancel("stopped: another worker failed");
                    buffer.fail(t);
                }
                return;
            }
        }
    }

    private static void join(List<Thread> threads) throws InterruptedIOException {
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            }
        }
    }

    private FetchException explain(Throwable failure) {
        if (failure instanceof FetchException f) {
            return f;
        }
        if (failure instanceof InterruptedIOException || cancelled) {
            return new FetchException("cancelled", failure);
        }
        return new FetchException(failure.getMessage(), failure);
    }

    private ExpectedDigest expectedDigest(RemoteFile remote) {
        if (options.checksum() != null) {
            return options.checksum();
        }
        return ExpectedDigest.parseReprDigest(remote.reprDigest()).orElse(null);
    }

    private static MessageDigest messageDigest(ExpectedDigest expected) {
        String name = expected.algorithm().toLowerCase(Locale.ROOT).replace("-", "");
        try {
            return MessageDigest.getInstance(name.equals("sha512") ? "SHA-512" : "SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts what reaches the output (after compression). */
    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}

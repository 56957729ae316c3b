package io.sluice.transfer;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.sluice.transfer.http.RangeClient;
import io.sluice.transfer.http.RemoteFile;
import io.sluice.transfer.http.ResponseStream;
import io.sluice.transfer.http.RetryAfter;
import io.sluice.transfer.http.TransientException;
import io.sluice.transfer.internal.DataFile;
import io.sluice.transfer.internal.JobContext;
import io.sluice.transfer.internal.RangeFetcher;
import io.sluice.transfer.internal.RangeIgnoredException;
import io.sluice.transfer.internal.StreamFetcher;
import io.sluice.transfer.journal.Journal;
import io.sluice.transfer.journal.JournalStore;
import io.sluice.transfer.plan.ByteRange;
import io.sluice.transfer.plan.ChunkSizer;
import io.sluice.transfer.plan.WorkQueue;
import io.sluice.transfer.plan.WorkerTuner;
import io.sluice.transfer.verify.ExpectedDigest;
import io.sluice.transfer.verify.FileVerifier;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One {@code sluice fetch} job: probe, plan, fetch in parallel, verify, and only then rename the part
 * file to the target. Start with {@link #create}; {@link #run()} blocks until the file is complete
 * and verified or the job failed.
 *
 * <p>The flow: a {@code HEAD} (following redirects) gives the size, {@code Accept-Ranges} and the
 * validator. With ranges, {@link Resume} loads and checks the journal, the {@link WorkQueue} hands out
 * the missing ranges to {@code --workers} threads, each a {@link RangeFetcher}, and every finished
 * range is forced and journaled. Without ranges (or when a ranged request gets the unchanged file
 * with 200), one {@link StreamFetcher} downloads it in one go. See docs/TRANSFER.md.
 */
public final class FetchJob {

    /** A segment is split for an idle worker only if both halves would be at least this long. */
    static final long MIN_STEAL = 512 * 1024;
    private static final int MAX_REDIRECTS = 5;

    private final FetchOptions options;
    private final FetchListener listener;
    private volatile JobContext context;
    private volatile WorkQueue queue;
    private volatile long resumed;
    private volatile long size = -1;
    private volatile boolean cancelled;

    private FetchJob(FetchOptions options, FetchListener listener) {
        this.options = options;
        this.listener = listener;
    }

    public static FetchJob create(FetchOptions options, FetchListener listener) {
        return new FetchJob(options, listener == null ? FetchListener.NONE : listener);
    }

    /** Stops the job: workers stop at their next buffer; the journal and part file stay for a later resume. */
    public void cancel() {
        cancelled = true;
        JobContext ctx = context;
        if (ctx != null) {
            ctx.cancel("cancelled");
        }
    }

    public Progress progress() {
        JobContext ctx = context;
        if (ctx == null) {
            return Progress.NOT_STARTED;
        }
        WorkQueue q = queue;
        List<Progress.Activity> busy = new ArrayList<>();
        if (q != null) {
            q.inFlight().forEach(s -> busy.add(new Progress.Activity(s.start(), s.position(), s.end())));
        }
        return new Progress(size, resumed + ctx.fetched(), busy);
    }

    /** Runs the job to the end: the verified file is at the target path when this returns. */
    public FetchResult run() throws IOException {
        long started = System.nanoTime();
        RemoteFile remote;
        RangeClient client = null;
        try {
            URI uri = options.url();
            for (int hop = 0; ; hop++) {
                client = RangeClient.open(uri, options.workers() + 1, options.connectTimeout(), options.readTimeout(),
                        options.httpVersion(), options.trustedCertificates());
                Optional<URI> redirect = Optional.empty();
                remote = probe(client, uri);
                if (remote.uri() != uri) {
                    redirect = Optional.of(remote.uri());
                }
                if (redirect.isEmpty()) {
                    break;
                }
                if (hop == MAX_REDIRECTS) {
                    throw new FetchException("more than " + MAX_REDIRECTS + " redirects from " + options.url());
                }
                client.close();
                client = null;
                uri = redirect.get();
            }
            size = remote.size();
            for (int round = 0; ; round++) {
                try {
                    return remote.acceptRanges() && remote.size() >= 0
                            ? ranged(client, remote, started)
                            : streamed(client, remote, started);
                } catch (FileChangedException e) {
                    if (!options.restartOnChange() || round > 0) {
                        throw e;
                    }
                    listener.notice(e.getMessage().replaceFirst(";.*", "") + "; starting over (--restart-on-change)");
                    new JournalStore(options.journalFile()).delete();
                    Files.deleteIfExists(options.partFile());
                    remote = probe(client, remote.uri());
                    size = remote.size();
                }
            }
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }

    private FetchResult ranged(RangeClient client, RemoteFile remote, long started) throws IOException {
        JournalStore store = new JournalStore(options.journalFile());
        Journal journal = new Resume(options, listener, store).load(remote);
        boolean fresh = journal == null;
        long chunk = options.chunkSize() > 0 ? options.chunkSize() : fresh ? ChunkSizer.INITIAL : journal.chunkSize();
        boolean adaptive = options.chunkSize() == 0 && fresh;
        if (fresh) {
            journal = Journal.start(options.url().toString(), remote.size(), remote.strongEtag(), remote.lastModified(), chunk);
        } else if (journal.chunkSize() != chunk) {
            journal = journal.withChunkSize(chunk);
        }
        RangeIgnoredException ignored;
        try (DataFile data = DataFile.open(options.partFile(), remote.size(), fresh)) {
            if (!fresh) {
                journal = Resume.reverify(journal, data, options.fastResume(), listener);
            }
            store.write(journal);
            resumed = journal.completedBytes();
            boolean single = remote.size() <= chunk;
            boolean auto = options.autoWorkers() && !single;
            int workers = single ? 1 : auto ? Math.min(WorkerTuner.INITIAL, options.workers()) : options.workers();
            WorkQueue work = new WorkQueue(journal.missing(), chunk, single ? 0 : MIN_STEAL);
            String validator = remote.validator();
            JobContext ctx = new JobContext(options, listener, client, remote.uri(), remote.size(), validator,
                    remote.strongEtag() != null, data);
            Recorder recorder = new Recorder(journal, store, data, work, adaptive, listener);
            this.context = ctx;
            this.queue = work;
            if (cancelled) {
                ctx.cancel("cancelled");
            }
            listener.started(remote.size(), resumed, chunk, workers, !single);
            Workers crew = new Workers(ctx, work, recorder);
            Throwable failure = auto
                    ? crew.run(workers, new WorkerTuner(options.workers()), options.tuneWindow().toNanos())
                    : crew.run(workers);
            workers = crew.started();
            if (failure == null) {
                data.force();
                String digest = verify(remote, data);
                data.close();
                finish(store);
                return new FetchResult(options.output(), remote.size(), resumed, ctx.fetched(), System.nanoTime() - started,
                        recorder.chunkSize(), workers, !single, ctx.retries(), work.steals(), digest, client.protocol(),
                        client.connectionsOpened());
            }
            if (!(failure instanceof RangeIgnoredException r)) {
                throw explain(failure, ctx);
            }
            ignored = r;
        }
        listener.notice(ignored.getMessage() + "; downloading it in one stream instead");
        store.delete();
        return streamed(client, new RemoteFile(remote.uri(), remote.size(), false, remote.etag(), remote.lastModified(),
                remote.reprDigest()), started);
    }

    private FetchResult streamed(RangeClient client, RemoteFile remote, long started) throws IOException {
        JournalStore store = new JournalStore(options.journalFile());
        store.delete(); // without ranges nothing can be resumed
        try (DataFile data = DataFile.open(options.partFile(), -1, true)) {
            JobContext ctx = new JobContext(options, listener, client, remote.uri(), remote.size(), null, false, data);
            this.context = ctx;
            if (cancelled) {
                ctx.cancel("cancelled");
            }
            listener.started(remote.size(), 0, 0, 1, false);
            long length;
            try {
                length = new StreamFetcher(ctx).fetch();
            } catch (IOException | RuntimeException e) {
                throw explain(e, ctx);
            }
            size = length;
            data.force();
            String digest = verify(remote, data);
            data.close();
            finish(store);
            return new FetchResult(options.output(), length, 0, ctx.fetched(), System.nanoTime() - started, 0, 1,
                    false, ctx.retries(), 0, digest, client.protocol(), client.connectionsOpened());
        }
    }

    private FetchException explain(Throwable failure, JobContext ctx) {
        if (failure instanceof FetchException f) {
            return f;
        }
        String kept = " (" + (resumed + ctx.fetched()) + " bytes kept in " + options.partFile() + "; rerun to resume)";
        if (failure instanceof InterruptedIOException || cancelled) {
            return new FetchException("cancelled" + kept, failure);
        }
        if (failure instanceof TransientException) {
            return new FetchException(failure.getMessage() + kept, failure);
        }
        if (failure instanceof IOException) {
            return new FetchException("writing " + options.partFile() + " failed: " + failure.getMessage(), failure);
        }
        return new FetchException("internal error: " + failure, failure);
    }

    /** Checks every whole-file digest we know of; on a mismatch removes the part and journal (they hold a bad file). */
    private String verify(RemoteFile remote, DataFile data) throws IOException {
        List<ExpectedDigest> expected = new ArrayList<>();
        if (options.checksum() != null) {
            expected.add(options.checksum());
        }
        ExpectedDigest.parseReprDigest(remote.reprDigest()).ifPresent(expected::add);
        String verified = null;
        for (ExpectedDigest e : expected) {
            String actual = FileVerifier.digest(data.path(), e.algorithm());
            String name = e.algorithm().toLowerCase(Locale.ROOT).replace("-", "");
            if (!actual.equals(e.hex())) {
                data.close();
                new JournalStore(options.journalFile()).delete();
                Files.deleteIfExists(options.partFile());
                throw new FetchException("the downloaded file's " + name + " is " + actual + ", expected " + e.hex()
                        + " (from " + e.source() + "); the file is wrong as a whole, so the part file and journal were"
                        + " removed and a rerun downloads it again");
            }
            verified = name + ":" + actual;
        }
        return verified;
    }

    private void finish(JournalStore store) throws IOException {
        Files.move(options.partFile(), options.output(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        store.delete();
    }

    /** HEAD the URL (retrying transient failures); a redirect comes back as a RemoteFile with another URI and size -1. */
    RemoteFile probe(RangeClient client, URI uri) throws IOException {
        int failures = 0;
        while (true) {
            if (cancelled) {
                throw new FetchException("cancelled before the download started");
            }
            try (ResponseStream response = client.send(HttpMethod.HEAD, uri, null, null)) {
                HttpResponse head = response.head();
                while (response.next() != null) {
                    // a HEAD response has no body; next() only consumes its end
                }
                int code = head.status().code();
                if (code >= 200 && code < 300) {
                    return RemoteFile.of(uri, head.headers());
                }
                String location = head.headers().get(HttpHeaderNames.LOCATION);
                if ((code == 301 || code == 302 || code == 303 || code == 307 || code == 308) && location != null) {
                    return new RemoteFile(uri.resolve(location), -1, false, null, null, null);
                }
                if (code == 405 || code == 501) {
                    return new RemoteFile(uri, -1, false, null, null, null); // no HEAD: just GET it
                }
                if (code == 408 || code == 429 || code >= 500) {
                    long retryAfter = code == 429 || code == 503
                            ? RetryAfter.nanos(head.headers().get(HttpHeaderNames.RETRY_AFTER), System.currentTimeMillis()) : -1;
                    throw new TransientException("HTTP " + head.status() + " for HEAD " + uri, retryAfter, null);
                }
                throw new FetchException("HTTP " + head.status() + " for " + uri);
            } catch (TransientException e) {
                if (++failures >= options.maxAttempts()) {
                    throw new FetchException(uri + ": " + e.getMessage() + " (after " + failures + " attempts)", e);
                }
                long delay = e.retryAfterNanos() >= 0 ? e.retryAfterNanos() : options.backoff().delayNanos(failures);
                listener.retrying(new ByteRange(0, 0), failures, e, delay);
                try {
                    Thread.sleep(delay / 1_000_000, (int) (delay % 1_000_000));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new FetchException("interrupted", ie);
                }
            }
        }
    }
}

package io.sluice.transfer.internal;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.sluice.transfer.FetchException;
import io.sluice.transfer.http.ResponseStream;
import io.sluice.transfer.http.RetryAfter;
import io.sluice.transfer.http.TransientException;
import io.sluice.transfer.plan.ByteRange;
import java.io.IOException;

/**
 * Downloads the whole file in one plain GET, for servers without byte ranges. Without ranges a
 * retry cannot continue where it stopped, so it starts again from byte 0 (and may see a newer
 * version, which is why nothing is journaled: there is nothing a later run could safely resume).
 * The bytes go to the context's sink: the data file, or an export's output, which refuses a restart
 * once it has passed bytes on ({@code export.StreamSink}).
 */
public final class StreamFetcher {

    private final JobContext ctx;

    public StreamFetcher(JobContext ctx) {
        this.ctx = ctx;
    }

    /** Fetches into the sink from offset 0; returns the number of bytes. */
    public long fetch() throws IOException {
        int failures = 0;
        while (true) {
            ctx.checkCancelled();
            long written = 0;
            java.util.zip.CRC32C unused = new java.util.zip.CRC32C();
            try (ResponseStream response = ctx.client.send(HttpMethod.GET, ctx.uri, null, null)) {
                HttpResponse head = response.head();
                int code = head.status().code();
                if (code == 408 || code == 429 || code >= 500) {
                    long retryAfter = code == 429 || code == 503
                            ? RetryAfter.nanos(head.headers().get(HttpHeaderNames.RETRY_AFTER), System.currentTimeMillis()) : -1;
                    throw new TransientException("HTTP " + head.status(), retryAfter, null);
                }
                if (code != 200) {
                    throw new FetchException("HTTP " + head.status() + " for " + ctx.uri);
                }
                String encoding = head.headers().get(HttpHeaderNames.CONTENT_ENCODING);
                if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
                    throw new FetchException("the server sent Content-Encoding: " + encoding + " despite Accept-Encoding: identity");
                }
                long expected = HttpUtil.getContentLength(head, -1L);
                if (ctx.size >= 0 && expected >= 0 && expected != ctx.size) {
                    ctx.listener.notice("the server now reports " + expected + " bytes (was " + ctx.size + ")");
                }
                ByteBuf buf;
                while ((buf = response.next()) != null) {
                    try {
                        int n = buf.readableBytes();
                        ctx.pace(n);
                        ctx.sink.write(buf, n, written, unused);
                        written += n;
                        ctx.fetched.addAndGet(n);
                    } finally {
                        buf.release();
                    }
                    ctx.checkCancelled();
                }
                if (ctx.data != null) {
                    ctx.data.truncate(written);
                }
                return written;
            } catch (TransientException e) {
                failures++; // every retry starts from byte 0: progress does not refill the budget
                ctx.retries.incrementAndGet();
                if (failures >= ctx.options.maxAttempts()) {
                    throw new FetchException(ctx.uri + " failed after " + failures + " attempts: " + e.getMessage(), e);
                }
                long delay = e.retryAfterNanos() >= 0 ? e.retryAfterNanos() : ctx.options.backoff().delayNanos(failures);
                ctx.listener.retrying(new ByteRange(0, Math.max(0, ctx.size)), failures, e, delay);
                ctx.sleep(delay);
            }
        }
    }
}

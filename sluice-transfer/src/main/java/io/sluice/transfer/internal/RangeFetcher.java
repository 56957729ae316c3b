package io.sluice.transfer.internal;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.sluice.transfer.FetchException;
import io.sluice.transfer.FileChangedException;
import io.sluice.transfer.http.ContentRange;
import io.sluice.transfer.http.ResponseStream;
import io.sluice.transfer.http.RetryAfter;
import io.sluice.transfer.http.TransientException;
import io.sluice.transfer.plan.ByteRange;
import io.sluice.transfer.plan.Segment;
import java.io.IOException;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Fetches one {@link Segment} with ranged GETs, retrying transient failures from the last byte
 * written (the bytes before it are the same version: every request carries {@code If-Range}).
 *
 * <p>Each 206 is checked strictly before a byte is written: {@code Content-Range} must be exactly
 * the requested range of a file of the expected size, {@code Content-Length} must agree, and the
 * body must not be encoded. The retry budget ({@code maxAttempts}) restarts whenever an attempt
 * made progress, so a flaky connection that still moves data never exhausts it.
 */
public final class RangeFetcher {

    /** A finished segment: its final range and CRC32C, and the first attempt's timings. */
    public record Completed(ByteRange range, int crc32c, long firstByteNanos, long elapsedNanos) {}

    private final JobContext ctx;

    public RangeFetcher(JobContext ctx) {
        this.ctx = ctx;
    }

    public Completed fetch(Segment segment) throws IOException {
        CRC32C crc = new CRC32C();
        long written = segment.start();
        int failures = 0;
        long started = System.nanoTime();
        long firstByte = -1;
        while (written < segment.end()) {
            ctx.checkCancelled();
            ByteRange want = new ByteRange(written, segment.end());
            long before = written;
            try (ResponseStream response = ctx.client.send(HttpMethod.GET, ctx.uri, want, ctx.ifRange)) {
                HttpResponse head = response.head();
                if (firstByte < 0) {
                    firstByte = System.nanoTime() - started;
                }
                checkHead(head, want);
                ByteBuf buf;
                while ((buf = response.next()) != null) {
                    int granted;
                    try {
                        int n = buf.readableBytes();
                        granted = segment.claim(n);
                        if (granted > 0) {
                            ctx.pace(granted);
                            ctx.sink.write(buf, granted, written, crc);
                            written += granted;
                            ctx.fetched.addAndGet(granted);
                        }
                        if (granted < n) {
                            break; // our tail was stolen: the rest belongs to another worker (connection discarded)
                        }
                    } finally {
                        buf.release();
                    }
                    ctx.checkCancelled();
                }
                if (written < segment.end()) {
                    throw new TransientException("body ended after " + (written - want.start()) + " of "
                            + want.length() + " bytes");
                }
            } catch (TransientException e) {
                segment.unclaim(written);
                failures = written > before ? 1 : failures + 1;
                ctx.retries.incrementAndGet();
                if (failures >= ctx.options.maxAttempts()) {
                    throw new FetchException(want + " failed after " + failures + " attempts: " + e.getMessage(), e);
                }
                long delay = e.retryAfterNanos() >= 0 ? e.retryAfterNanos() : ctx.options.backoff().delayNanos(failures);
                ctx.listener.retrying(want, failures, e, delay);
                ctx.sleep(delay);
            }
        }
        return new Completed(segment.range(), (int) crc.getValue(), Math.max(firstByte, 0), System.nanoTime() - started);
    }

    private void checkHead(HttpResponse head, ByteRange want) throws IOException {
        int code = head.status().code();
        HttpHeaders h = head.headers();
        if (code == 206) {
            String header = h.get(HttpHeaderNames.CONTENT_RANGE);
            ContentRange cr = ContentRange.parse(header);
            if (cr == null || !cr.matches(want, ctx.size)) {
                throw new TransientException("wrong Content-Range '" + header + "' for " + want + " of a "
                        + ctx.size + "-byte file");
            }
            long length = HttpUtil.getContentLength(head, -1L);
            if (length != want.length()) {
                throw new TransientException("Content-Length " + length + " for " + want + " (expected: " + want.length() + ")");
            }
            String encoding = h.get(HttpHeaderNames.CONTENT_ENCODING);
            if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
                throw new FetchException("the server sent " + want + " with Content-Encoding: " + encoding
                        + " despite Accept-Encoding: identity");
            }
            String validator = validatorOf(head);
            if (ctx.ifRange != null && validator != null && !validator.equals(ctx.ifRange)) {
                throw new FileChangedException(ctx.uri + " changed during the download: the server sent " + want
                        + " of version " + validator + ", not " + ctx.ifRange);
            }
            return;
        }
        if (code == 200) {
            String validator = validatorOf(head);
            long length = HttpUtil.getContentLength(head, -1L);
            if (ctx.ifRange != null && !Objects.equals(validator, ctx.ifRange) || length >= 0 && length != ctx.size) {
                throw new FileChangedException(ctx.uri + " changed during the download: asked for " + want
                        + " If-Range " + ctx.ifRange + ", the server sent the whole file (" + length
                        + " bytes, version " + validator + ")");
            }
            throw new RangeIgnoredException("the server answered 200 with the whole file to a request for " + want);
        }
        if (code == 416) {
            throw new FileChangedException(ctx.uri + " changed during the download: HTTP 416 for " + want
                    + " of what was a " + ctx.size + "-byte file");
        }
        if (code == 408 || code == 429 || code >= 500) {
            long retryAfter = code == 429 || code == 503
                    ? RetryAfter.nanos(h.get(HttpHeaderNames.RETRY_AFTER), System.currentTimeMillis()) : -1;
            throw new TransientException("HTTP " + head.status() + " for " + want, retryAfter, null);
        }
        throw new FetchException("HTTP " + head.status() + " for " + want + " of " + ctx.uri);
    }

    private String validatorOf(HttpResponse head) {
        return ctx.ifRangeIsEtag ? head.headers().get(HttpHeaderNames.ETAG) : head.headers().get(HttpHeaderNames.LAST_MODIFIED);
    }
}

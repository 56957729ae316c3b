package io.sluice.client.transport;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpResponse;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One request in flight on one channel: the future its caller holds and what to do with the channel once the
 * exchange ends ({@code true}: the connection may be reused). Ends at most once.
 */
final class Exchange {

    private final CompletableFuture<Response> result;
    private final Consumer<Boolean> onEnd;
    private final Protocol protocol;
    /** The longest body accepted once inflated (the aggregator bounds what arrives). */
    private final int maxBodyBytes;
    private boolean ended;
    private boolean written;

    Exchange(CompletableFuture<Response> result, Consumer<Boolean> onEnd, Protocol protocol, int maxBodyBytes) {
        this.result = result;
        this.maxBodyBytes = maxBodyBytes;
        this.onEnd = onEnd;
        this.protocol = protocol;
    }

    void written() {
        written = true;
    }

    boolean ended() {
        return ended;
    }

    /**
     * Completes with the response, its gzip body inflated (the message is not released here), and hands the channel
     * back; fails instead when the body does not inflate (or inflates beyond the limit).
     */
    void succeed(FullHttpResponse response, boolean reusable) {
        if (ended) {
            return;
        }
        Map<String, String> headers = new HashMap<>();
        response.headers().forEach(e -> headers.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
        byte[] body;
        String coding = headers.get("content-encoding");
        if (coding != null && GzipPassingDecompressor.isGzip(coding)) {
            try {
                body = Gzip.decompress(response.content().nioBuffer(), maxBodyBytes);
            } catch (IOException e) {
                fail("cannot inflate the gzip response", e);
                return;
            }
            headers.remove("content-encoding"); // as Netty's decompressor leaves the headers: the body is plain now
            headers.put("content-length", Integer.toString(body.length));
        } else {
            body = ByteBufUtil.getBytes(response.content());
        }
        ended = true;
        onEnd.accept(reusable);
        result.complete(new Response(response.status().code(), Map.copyOf(headers), body, protocol));
    }

    void fail(String message, Throwable cause) {
        if (ended) {
            return;
        }
        ended = true;
        onEnd.accept(false);
        result.completeExceptionally(cause instanceof TransportException te ? te
                : new TransportException(message + (cause == null ? "" : ": " + cause), cause, !written));
    }
}

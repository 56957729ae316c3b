package io.sluice.gateway.compress;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.compression.Zstd;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.AttributeKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Compresses responses by {@code Accept-Encoding} (zstd when offered and available, else gzip), within the rules
 * of a {@link CompressionPolicy}. Netty does the encoding; this class decides when not to.
 *
 * <p>The policy comes from the channel attribute {@link #POLICY}, which the proxy sets per response from the
 * route (null: leave the response alone), so one handler per connection serves routes with different settings.
 * It sits between the HTTP codec and the proxy handler, where it sees each request's Accept-Encoding.
 */
public final class ResponseCompressor extends HttpContentCompressor {

    /** The policy for the response being written now; null turns compression off for it. */
    public static final AttributeKey<CompressionPolicy> POLICY = AttributeKey.valueOf("sluice.compression");

    private ChannelHandlerContext ctx;

    public ResponseCompressor(CompressionLevels levels) {
        super(0, options(levels));
    }

    private static io.netty.handler.codec.compression.CompressionOptions[] options(CompressionLevels levels) {
        List<io.netty.handler.codec.compression.CompressionOptions> options = new ArrayList<>();
        if (Zstd.isAvailable()) {
            // (level, blockSize in bytes, maxEncodeSize): the encoder compresses and emits one frame per block, so
            // the block must be Netty's 64 KiB default; a tiny one (it was 22 bytes) cost ~2 ms of CPU per 3 KB body.
            options.add(StandardCompressionOptions.zstd(levels.zstdLevel(), 1 << 16, 1 << 20));
        }
        options.add(StandardCompressionOptions.gzip(levels.gzipLevel(), 15, 8));
        return options.toArray(io.netty.handler.codec.compression.CompressionOptions[]::new);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    @Override
    protected Result beginEncode(HttpResponse response, String acceptEncoding) throws Exception {
        CompressionPolicy policy = ctx.channel().attr(POLICY).get();
        if (policy == null) {
            return null;
        }
        HttpHeaders headers = response.headers();
        if (!policy.compressible(headers.get(HttpHeaderNames.CONTENT_TYPE))) {
            return null;
        }
        // The representation depends on Accept-Encoding whether or not this client gets it compressed.
        addVary(headers);
        if (response.status().equals(HttpResponseStatus.PARTIAL_CONTENT) || headers.contains(HttpHeaderNames.CONTENT_RANGE)) {
            return null; // byte ranges address the identity representation
        }
        long length = HttpUtil.getContentLength(response, -1L);
        if (length >= 0 && length < policy.minSize()) {
            return null;
        }
        if (response instanceof io.netty.handler.codec.http.HttpContent full
                && full.content().readableBytes() < policy.minSize()) {
            return null;
        }
        return super.beginEncode(response, acceptEncoding);
    }

    private static void addVary(HttpHeaders headers) {
        String vary = headers.get(HttpHeaderNames.VARY);
        if (vary == null) {
            headers.set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
        } else if (!vary.toLowerCase(java.util.Locale.ROOT).contains("accept-encoding") && !vary.trim().equals("*")) {
            headers.set(HttpHeaderNames.VARY, vary + ", " + HttpHeaderNames.ACCEPT_ENCODING);
        }
    }
}

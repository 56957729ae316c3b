package io.sluice.gateway.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.sluice.gateway.api.Codec;
import io.sluice.gateway.api.Problem;
import io.sluice.gateway.http.codec.LingeringClose;
import java.util.List;

/**
 * Aggregates admin requests up to a limit and refuses a larger body with a 413 problem+json, instead of Netty's
 * empty 413, then ends the connection with a lingering close (the rest of the body is unread); on an HTTP/2 stream,
 * ends just the stream.
 */
final class BoundedAggregator extends HttpObjectAggregator {

    private final int max;

    BoundedAggregator(int max) {
        super(max);
        this.max = max;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        String path = oversized instanceof HttpRequest r ? r.uri() : "";
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        byte[] json = Codec.JSON.write(Problem.of(413, "payload-too-large", "the request body exceeds " + max
                + " bytes (the admin API limit)", path, List.of(), List.of()));
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.wrappedBuffer(json));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        // A lingering close: the rest of the body is unread (this aggregator drops it), and closing under it would
        // reset the connection, or on HTTP/2 the stream.
        LingeringClose.respond(ctx, response);
    }
}

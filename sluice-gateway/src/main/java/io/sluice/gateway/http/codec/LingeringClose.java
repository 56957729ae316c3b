package io.sluice.gateway.http.codec;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends an HTTP/1.x connection after a response that was sent while the client may still be sending (a 413 for a
 * declared body over the limit, a 400 for bad framing, a 503 with the body unread): RFC 9112 §9.6's lingering close.
 *
 * <p>Closing a socket with unread bytes in its receive queue, or while more keep arriving, makes the kernel answer
 * with RST, and a RST can destroy the response in the client's receive queue before the client reads it. So: the
 * response is written; then TLS's close_notify (if any) and a FIN ({@code shutdownOutput}); then everything the
 * client still sends is read and dropped at the head of the pipeline (nothing after it sees another byte) until the
 * client closes its side, or for at most {@link #LINGER_MILLIS}, after which the connection is closed anyway.
 *
 * <p>An HTTP/2 stream cannot half-close, and needs not: the response already ended our side of it, and the stream
 * ends cleanly once the client has sent the rest of its body, which the stream's handlers drop (closing at once would
 * send a RST_STREAM right after the response, and some clients, the JDK's among them, then drop the response). A
 * client that keeps sending is reset after {@link #LINGER_MILLIS}; the connection and its other streams live on.
 * Other channels that cannot half-close (an embedded channel) are closed at once.
 */
public final class LingeringClose {

    /** The longest a connection lingers after its last response (nginx's {@code lingering_time} is 30 s). */
    public static final long LINGER_MILLIS = 2000;

    /** Lingers once the write it listens to is done, whether or not it succeeded. */
    public static final ChannelFutureListener AFTER_WRITE = future -> start(future.channel(), LINGER_MILLIS);

    private static final String NAME = "lingeringClose";

    private LingeringClose() {
    }

    /**
     * Writes {@code response}, the last on this connection, and lingers once it is written. A Netty
     * {@link HttpServerKeepAliveHandler} in the pipeline would close the connection the moment a
     * {@code Connection: close} response is written, under the unread body; it steps aside first.
     */
    public static void respond(ChannelHandlerContext ctx, Object response) {
        HttpServerKeepAliveHandler keepAlive = ctx.pipeline().get(HttpServerKeepAliveHandler.class);
        if (keepAlive != null) {
            ctx.pipeline().remove(keepAlive);
        }
        ctx.writeAndFlush(response).addListener(AFTER_WRITE);
    }

    /** Starts lingering on {@code channel} now (call it after the last response was written). */
    public static void start(Channel channel) {
        start(channel, LINGER_MILLIS);
    }

    static void start(Channel channel, long lingerMillis) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> start(channel, lingerMillis));
            return;
        }
        if (channel instanceof Http2StreamChannel) {
            closeLater(channel, lingerMillis);
            return;
        }
        if (!(channel instanceof DuplexChannel duplex) || !channel.isActive() || duplex.isOutputShutdown()
                || duplex.isInputShutdown()) {
            channel.close();
            return;
        }
        if (channel.pipeline().get(NAME) != null) {
            return; // already lingering
        }
        channel.pipeline().addFirst(NAME, new Discard());
        closeLater(channel, lingerMillis);
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl != null) {
            ssl.closeOutbound().addListener(f -> duplex.shutdownOutput());
        } else {
            duplex.shutdownOutput();
        }
        // Whatever paused reading before (backpressure, a throttle) no longer matters: the rest is dropped.
        channel.config().setAutoRead(true);
        channel.read();
    }

    /** Closes {@code channel} after {@code lingerMillis} unless it closes before. */
    private static void closeLater(Channel channel, long lingerMillis) {
        ScheduledFuture<?> limit = channel.eventLoop().schedule(() -> channel.close(), lingerMillis,
                TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(f -> limit.cancel(false));
    }

    /** First in the pipeline while lingering: drops every read, keeps reading, closes when the client does. */
    private static final class Discard extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (!ctx.channel().config().isAutoRead()) {
                ctx.read(); // a handler behind may have paused reading; lingering reads to the end regardless
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                ctx.close(); // the client finished (with ALLOW_HALF_CLOSURE; otherwise Netty closes by itself)
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // typically a reset by the client: nothing left to protect
        }
    }
}

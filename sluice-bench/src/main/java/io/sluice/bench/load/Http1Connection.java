package io.sluice.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;

/**
 * HTTP/1.1 keep-alive, one request in flight. The request is the pre-encoded head and shared body of the
 * {@link RequestTemplate} written as is (no encoder); responses are decoded as a stream and never aggregated.
 */
final class Http1Connection extends Connection {

    private final LoadOptions options;
    private final RequestTemplate template;
    private final SslContext ssl;
    private final boolean head;

    Http1Connection(Bootstrap b, EventLoop loop, Probe probe, RunControl run, LoadOptions options,
                    RequestTemplate template, SslContext ssl) {
        super(b, loop, probe, run);
        this.options = options;
        this.template = template;
        this.ssl = ssl;
        this.head = options.method().equals("HEAD");
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast(new WireBytes(probe, run));
        if (ssl != null) {
            ch.pipeline().addLast(ssl.newHandler(ch.alloc(), options.url().getHost(), options.port()));
        }
        ch.pipeline().addLast(new HttpResponseDecoder() {
            @Override
            protected boolean isContentAlwaysEmpty(HttpMessage msg) {
                return head || super.isContentAlwaysEmpty(msg);
            }
        }, new ResponseHandler());
    }

    @Override
    protected boolean protocolAccepted(String alpn) {
        return alpn == null || alpn.equals("http/1.1");
    }

    @Override
    protected void write(Lane lane) {
        ResponseHandler h = channel.pipeline().get(ResponseHandler.class);
        h.current = lane;
        lane.sent();
        if (template.hasBody()) {
            channel.write(template.head(), channel.voidPromise());
            channel.writeAndFlush(template.body(), channel.voidPromise());
        } else {
            channel.writeAndFlush(template.head(), channel.voidPromise());
        }
    }

    @Override
    protected void timeout(Lane lane) {
        Channel ch = channel;
        if (ch != null) {
            ResponseHandler h = ch.pipeline().get(ResponseHandler.class);
            if (h != null && h.current == lane) {
                h.current = null;
            }
            discard(ch);
        }
        lane.failed(ErrorKind.TIMEOUT);
    }

    private final class ResponseHandler extends ChannelInboundHandlerAdapter {
        Lane current;
        private int status;
        private boolean keepAlive;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpObject o && o.decoderResult().isFailure()) {
                    fail(ctx, ErrorKind.PROTOCOL);
                    return;
                }
                if (msg instanceof HttpResponse r) {
                    status = r.status().code();
                    keepAlive = HttpUtil.isKeepAlive(r);
                }
                if (msg instanceof LastHttpContent && status >= 200) {
                    Lane lane = current;
                    current = null;
                    if (!keepAlive) {
                        discard(ctx.channel());
                    }
                    if (lane != null) {
                        lane.completed(status);
                    }
                } else if (msg instanceof HttpContent && current == null) {
                    discard(ctx.channel()); // an answer nobody asked for: the stream is out of step
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void fail(ChannelHandlerContext ctx, ErrorKind kind) {
            Lane lane = current;
            current = null;
            discard(ctx.channel());
            if (lane != null) {
                lane.failed(kind);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail(ctx, ErrorKind.RESET);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(ctx, ErrorKind.RESET);
        }
    }
}

package io.sluice.core.health.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpClientCodec;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET path HTTP/1.1} on a fresh connection ({@code Connection: close}, never pooled: a check must see
 * what a new connection sees), with one deadline covering connect and response. Reads the status and, only
 * when {@code expected_body} is set, at most {@link #MAX_BODY} bytes of the body.
 */
public final class HttpCheck extends SocketCheck {

    /** How much of a body is searched for {@code expected_body}: health pages are small, and memory is bounded. */
    public static final int MAX_BODY = 64 * 1024;

    public HttpCheck(EventLoopGroup group, Class<? extends Channel> channelType) {
        super(group, channelType);
    }

    @Override
    CompletableFuture<CheckResult> run(CheckTarget target, InetSocketAddress address, EventLoop loop) {
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        Channel channel = bootstrap(target, loop, new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpCheckHandler(target, result));
                    }
                })
                .connect(address)
                .addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        result.complete(CheckResult.failed("connect failed: " + Resolve.describe(f.cause())));
                    }
                })
                .channel();
        long timeout = target.config().timeout().toNanos();
        var deadline = loop.schedule(() -> {
            result.complete(CheckResult.failed("timed out after " + target.config().timeout().toMillis() + "ms"));
        }, timeout, TimeUnit.NANOSECONDS);
        channel.closeFuture().addListener(f ->
                result.complete(CheckResult.failed("connection closed before a complete answer")));
        result.whenComplete((r, e) -> {
            deadline.cancel(false);
            channel.close();
        });
        return result;
    }
}

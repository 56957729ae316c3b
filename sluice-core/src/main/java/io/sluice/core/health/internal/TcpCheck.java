package io.sluice.core.health.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/** Healthy when a TCP connection opens within the timeout; the connection is closed at once. */
public final class TcpCheck extends SocketCheck {

    public TcpCheck(EventLoopGroup group, Class<? extends Channel> channelType) {
        super(group, channelType);
    }

    @Override
    CompletableFuture<CheckResult> run(CheckTarget target, InetSocketAddress address, EventLoop loop) {
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        bootstrap(target, loop, new ChannelInboundHandlerAdapter())
                .connect(address)
                .addListener((io.netty.channel.ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        f.channel().close();
                        result.complete(CheckResult.ok("connected"));
                    } else {
                        result.complete(CheckResult.failed("connect failed: " + Resolve.describe(f.cause())));
                    }
                });
        return result;
    }
}

package io.sluice.core.health.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/** Healthy when a TCP connection opens within the timeout; the connection is closed at once. */
public final class TcpCheck implements Check {

    private final EventLoopGroup group;
    private final Class<? extends Channel> channelType;

    public TcpCheck(EventLoopGroup group, Class<? extends Channel> channelType) {
        this.group = group;
        this.channelType = channelType;
    }

    @Override
    public CompletableFuture<CheckResult> run(CheckTarget target) {
        InetSocketAddress address = Resolve.address(target);
        if (address.isUnresolved()) {
            return CompletableFuture.completedFuture(CheckResult.failed("cannot resolve " + target.host()));
        }
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        new Bootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Resolve.timeoutMillis(target))
                .handler(new ChannelInboundHandlerAdapter())
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

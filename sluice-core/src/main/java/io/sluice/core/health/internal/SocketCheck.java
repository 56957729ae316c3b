package io.sluice.core.health.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * What the checks that open a connection share: the event loops and channel type to connect with, resolving the
 * target (an unresolvable name is a failed check, not an exception), and a bootstrap bounded by the check timeout.
 */
abstract class SocketCheck implements Check {

    private final EventLoopGroup group;
    private final Class<? extends Channel> channelType;

    SocketCheck(EventLoopGroup group, Class<? extends Channel> channelType) {
        this.group = group;
        this.channelType = channelType;
    }

    @Override
    public final CompletableFuture<CheckResult> run(CheckTarget target) {
        InetSocketAddress address = Resolve.address(target);
        if (address.isUnresolved()) {
            return CompletableFuture.completedFuture(CheckResult.failed("cannot resolve " + target.host()));
        }
        return run(target, address, group.next());
    }

    /** Runs the check against a resolved address, on {@code loop}. */
    abstract CompletableFuture<CheckResult> run(CheckTarget target, InetSocketAddress address, EventLoop loop);

    /** A bootstrap on {@code loop} whose connect gives up after the check's timeout. */
    final Bootstrap bootstrap(CheckTarget target, EventLoop loop, ChannelHandler handler) {
        return new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Resolve.timeoutMillis(target))
                .handler(handler);
    }
}

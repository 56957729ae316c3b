package io.sluice.core.pool;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;

/** Opens a new, ready-to-use connection to the pool's backend on the given event loop. */
@FunctionalInterface
public interface ConnectionFactory {
    Future<Channel> connect(EventLoop eventLoop);
}

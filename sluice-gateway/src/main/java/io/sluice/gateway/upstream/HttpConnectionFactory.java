package io.sluice.gateway.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.sluice.core.config.BackendConfig;
import io.sluice.core.config.ConnectionSettings;
import io.sluice.core.config.Timeouts;
import io.sluice.core.pool.ConnectionFactory;
import io.sluice.gateway.http.codec.StrictClientCodec;
import io.sluice.gateway.proxy.UpstreamHandler;
import io.sluice.gateway.transport.Transport;
import java.net.InetSocketAddress;

/**
 * Opens HTTP/1.1 connections to one backend, on the event loop the pool asks for, so that a
 * client and its backend connection normally share a thread.
 *
 * <p>The backend's address is resolved once, when the factory is built: resolving on an event
 * loop would block it. Re-resolution on DNS change is not supported yet.
 */
public final class HttpConnectionFactory implements ConnectionFactory {

    private final Bootstrap template;
    private final InetSocketAddress address;

    public HttpConnectionFactory(Transport transport, BackendConfig backend, Timeouts timeouts,
                                 ConnectionSettings settings, HttpCodecLimits limits) {
        this.address = new InetSocketAddress(backend.host(), backend.port());
        Bootstrap bootstrap = new Bootstrap()
                .channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeouts.connect().toMillis()))
                .option(ChannelOption.TCP_NODELAY, settings.tcpNodelay())
                .option(ChannelOption.SO_KEEPALIVE, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("http", new StrictClientCodec(
                                limits.maxInitialLineLength(), limits.maxHeaderSize(), limits.maxChunkSize()));
                        ch.pipeline().addLast("proxy", new UpstreamHandler());
                    }
                });
        if (transport.supportsQuickAck() && settings.tcpQuickack()) {
            bootstrap.option(EpollChannelOption.TCP_QUICKACK, true);
        }
        this.template = bootstrap;
    }

    @Override
    public Future<Channel> connect(EventLoop eventLoop) {
        Promise<Channel> promise = eventLoop.newPromise();
        ChannelFuture connect = template.clone(eventLoop).connect(address);
        connect.addListener(f -> {
            if (f.isSuccess()) {
                promise.trySuccess(connect.channel());
            } else {
                promise.tryFailure(f.cause());
            }
        });
        return promise;
    }

    @Override
    public String toString() {
        return "HttpConnectionFactory[" + address + "]";
    }
}

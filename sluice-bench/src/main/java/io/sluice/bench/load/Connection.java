package io.sluice.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import java.util.ArrayList;
import java.util.List;

/**
 * One client connection, confined to its event loop; carries one lane (HTTP/1.1) or several (HTTP/2 streams).
 * Connects lazily when a lane has something to send and reconnects the same way after the server closes it.
 */
abstract class Connection {

    private final Bootstrap bootstrap;
    private final EventLoop loop;
    protected final Probe probe;
    protected final RunControl run;
    protected Channel channel;
    private boolean connecting;
    private final List<Lane> waiting = new ArrayList<>();

    Connection(Bootstrap bootstrap, EventLoop loop, Probe probe, RunControl run) {
        this.bootstrap = bootstrap.clone(loop).handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                Connection.this.initChannel(ch);
            }
        });
        this.loop = loop;
        this.probe = probe;
        this.run = run;
    }

    EventLoop loop() {
        return loop;
    }

    final void send(Lane lane) {
        if (channel != null && channel.isActive()) {
            write(lane);
            return;
        }
        waiting.add(lane);
        if (!connecting) {
            connect();
        }
    }

    private void connect() {
        connecting = true;
        channel = null;
        ChannelFuture f = bootstrap.connect();
        f.addListener(cf -> {
            if (!cf.isSuccess()) {
                connectFailed();
                return;
            }
            SslHandler ssl = f.channel().pipeline().get(SslHandler.class);
            if (ssl == null) {
                connected(f.channel());
            } else {
                ssl.handshakeFuture().addListener(hf -> {
                    if (hf.isSuccess() && protocolAccepted(ssl.applicationProtocol())) {
                        connected(f.channel());
                    } else {
                        f.channel().close();
                        connectFailed();
                    }
                });
            }
        });
    }

    private void connected(Channel ch) {
        connecting = false;
        channel = ch;
        List<Lane> ready = List.copyOf(waiting);
        waiting.clear();
        for (Lane lane : ready) {
            write(lane);
        }
    }

    private void connectFailed() {
        connecting = false;
        channel = null;
        List<Lane> failed = List.copyOf(waiting);
        waiting.clear();
        for (Lane lane : failed) {
            lane.failed(ErrorKind.CONNECT);
        }
    }

    /** Forget the current channel (so the next send reconnects) and close it. */
    protected final void discard(Channel ch) {
        if (channel == ch) {
            channel = null;
        }
        ch.close();
    }

    /**
     * Stop sending on {@code ch} without closing it (the server said GOAWAY: what is in flight finishes there); the
     * next send opens a new connection.
     */
    protected final void retire(Channel ch) {
        if (channel == ch) {
            channel = null;
        }
    }

    /** Adds the protocol handlers to a new channel's pipeline (before it connects). */
    protected abstract void initChannel(Channel ch);

    /** With TLS: does the ALPN outcome fit (HTTP/2 needs {@code h2})? */
    protected abstract boolean protocolAccepted(String alpn);

    /** Writes the lane's request on the open channel. */
    protected abstract void write(Lane lane);

    /** The lane's request timed out: abandon it (close the connection or reset the stream). */
    protected abstract void timeout(Lane lane);

    void close() {
        if (channel != null) {
            channel.close();
        }
    }
}

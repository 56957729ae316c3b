package io.sluice.gateway.tunnel;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.sluice.core.config.TunnelConfig;
import io.sluice.gateway.l4.UdpForwarder;
import io.sluice.gateway.transport.Transport;

/**
 * The server's end of a CONNECT-UDP session: a UDP socket connected to the target (so the kernel delivers only the
 * target's replies to it), on the stream's event loop. Replies become capsules on the stream; capsules from the
 * stream become datagrams to the target. Closing either closes both.
 */
final class UdpTarget extends ChannelInboundHandlerAdapter implements DatagramStream.UdpSide {

    private final Channel stream;
    private DatagramStream relay;
    private Channel socket;
    private ChannelFuture connected;

    private UdpTarget(Channel stream) {
        this.stream = stream;
    }

    /** Starts opening a socket towards {@code host:port} (resolving the name); see {@link #connected}. */
    static UdpTarget connect(Channel stream, Transport transport, String host, int port) {
        UdpTarget target = new UdpTarget(stream);
        target.connected = new Bootstrap()
                .group(stream.eventLoop())
                .channel(transport.datagramChannel())
                .option(ChannelOption.RCVBUF_ALLOCATOR, UdpForwarder.readAllocator())
                .handler(target)
                .connect(host, port);
        target.socket = target.connected.channel();
        return target;
    }

    /** Completes when the socket is connected, or fails when the target cannot be resolved or reached. */
    ChannelFuture connected() {
        return connected;
    }

    /** Joins the connected socket to the (answered) stream. Runs on the stream's event loop. */
    void join(TunnelConfig config, TunnelMetrics metrics) {
        relay = DatagramStream.join(stream, new DatagramStream(this, metrics, config.udp().queueSize(),
                config.udp().idleTimeout(), true));
        socket.closeFuture().addListener(f -> stream.close());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (relay == null) {
            ReferenceCountUtil.release(msg); // before the stream was answered: the client sent nothing yet
            return;
        }
        ByteBuf content = msg instanceof DatagramPacket packet ? packet.content() : (ByteBuf) msg;
        ByteBuf payload = UdpForwarder.rightSized(content);
        ReferenceCountUtil.release(msg);
        relay.send(payload);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (relay != null) {
            relay.flush();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // ICMP port unreachable and the like: that datagram is lost; the session stays until it idles out.
    }

    @Override
    public ChannelFuture write(ByteBuf payload) {
        return socket.write(payload);
    }

    @Override
    public void flush() {
        socket.flush();
    }

    @Override
    public void streamClosed() {
        socket.close();
    }
}

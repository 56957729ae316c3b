package io.sluice.gateway.l4;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * One client's session on a UDP listener: an upstream datagram socket connected to the backend picked for the
 * client, so the kernel hands it only that backend's replies, which go back to this client from the listener's
 * address. Everything runs on the listener's event loop, so the session needs no locks.
 *
 * <p>Each direction has a bounded queue: datagrams written to a socket but not yet sent, plus (towards the backend)
 * those waiting for the upstream socket to open. When {@code queueSize} are in flight the next datagram is dropped
 * and counted; nothing is buffered beyond that. Writes are flushed once per read batch.
 */
final class UdpSession extends ChannelInboundHandlerAdapter implements UdpSessionTable.Session {

    private final InetSocketAddress client;
    private final Channel listener;
    private final int queueSize;
    private final UdpStats stats;
    private Channel upstream;
    private boolean open;
    private boolean closed;
    private ArrayDeque<ByteBuf> waiting = new ArrayDeque<>(4);
    private int inFlightToBackend;
    private int inFlightToClient;
    private boolean upstreamDirty;
    private long lastActivity = System.nanoTime();

    private final ChannelFutureListener sentToBackend;
    private final ChannelFutureListener sentToClient;

    UdpSession(InetSocketAddress client, Channel listener, int queueSize, UdpStats stats) {
        this.client = client;
        this.listener = listener;
        this.queueSize = queueSize;
        this.stats = stats;
        this.sentToBackend = f -> {
            inFlightToBackend--;
            if (!f.isSuccess()) {
                stats.dropped(UdpStats.Drop.SEND_FAILED);
            }
        };
        this.sentToClient = f -> {
            inFlightToClient--;
            if (!f.isSuccess()) {
                stats.dropped(UdpStats.Drop.SEND_FAILED);
            }
        };
    }

    /** The upstream socket is being opened; datagrams wait (bounded) until {@link #opened}. */
    void connecting(ChannelFuture connect) {
        this.upstream = connect.channel();
        connect.addListener((ChannelFutureListener) f -> {
            if (closed) {
                return;
            }
            if (!f.isSuccess()) {
                close(); // removed from the table by the next sweep; a later datagram opens a new session
                return;
            }
            open = true;
            ByteBuf buf;
            while ((buf = waiting.poll()) != null) {
                upstream.write(buf).addListener(sentToBackend);
            }
            waiting = null;
            upstream.flush();
        });
    }

    /** A datagram from the client; takes ownership of {@code content}. Returns true when a flush is needed. */
    @Override
    public boolean fromClient(ByteBuf content) {
        lastActivity = System.nanoTime();
        if (inFlightToBackend >= queueSize || closed || (!open && waiting == null)) {
            content.release();
            stats.dropped(UdpStats.Drop.QUEUE_FULL);
            return false;
        }
        inFlightToBackend++;
        stats.forwarded(true, content.readableBytes());
        if (!open) {
            waiting.add(content);
            return false;
        }
        upstream.write(content).addListener(sentToBackend);
        upstreamDirty = true;
        return true;
    }

    /** Flushes what {@link #fromClient} wrote in this read batch. */
    @Override
    public void flush() {
        if (upstreamDirty) {
            upstreamDirty = false;
            upstream.flush();
        }
    }

    /** A reply from the backend, on the upstream socket. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf content = msg instanceof DatagramPacket packet ? packet.content() : (ByteBuf) msg;
        lastActivity = System.nanoTime();
        if (inFlightToClient >= queueSize || closed) {
            ReferenceCountUtil.release(msg);
            stats.dropped(UdpStats.Drop.QUEUE_FULL);
            return;
        }
        inFlightToClient++;
        stats.forwarded(false, content.readableBytes());
        ByteBuf reply = UdpForwarder.rightSized(content);
        ReferenceCountUtil.release(msg);
        listener.write(new DatagramPacket(reply, client)).addListener(sentToClient);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        listener.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // ICMP port unreachable and the like: the datagram is lost, the session stays until it idles out.
        stats.dropped(UdpStats.Drop.SEND_FAILED);
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean idle(long now, long idleNanos) {
        return now - lastActivity >= idleNanos;
    }

    /** Closes the upstream socket and drops anything still waiting. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        dropWaiting();
        waiting = null;
        if (upstream != null) {
            upstream.close();
        }
    }

    private void dropWaiting() {
        if (waiting != null) {
            waiting.forEach(ByteBuf::release);
            waiting.clear();
        }
    }
}

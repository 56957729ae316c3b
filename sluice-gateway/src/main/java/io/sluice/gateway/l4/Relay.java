package io.sluice.gateway.l4;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Moves bytes from the channel it sits on to its peer, one read at a time: the next read is requested only when the
 * previous chunk was written, so a slow receiver throttles the sender and no queue grows. Used on both sides of a
 * forwarded connection; when one side finishes sending (half-close) the other side's output is shut down too, and
 * the pair closes once both directions are done.
 *
 * <p>Bytes can arrive before the backend is connected even though reading is off: on epoll, a peer that hangs up
 * (RDHUP) makes Netty read what is there. Those few messages (one read's worth at most) wait in {@code early} and
 * go out when the peer exists.
 */
final class Relay extends ChannelInboundHandlerAdapter {

    private final TcpStats stats;
    private final boolean fromClient;
    private Channel peer;
    private boolean inputDone;
    private boolean spliced;
    private java.util.ArrayDeque<Object> early;

    /** Bytes after which a direction hands over to splice(2); -1 never. */
    private final long spliceAfter;
    private long relayed;

    Relay(TcpStats stats, boolean fromClient) {
        this(stats, fromClient, -1);
    }

    /**
     * {@code spliceAfter} >= 0: once this direction has copied that many bytes, it switches to splice(2) (both
     * channels must be epoll and share the event loop). Short exchanges never pay for splice's two pipes; bulk
     * transfers move the rest without a user-space copy.
     */
    Relay(TcpStats stats, boolean fromClient, long spliceAfter) {
        this.stats = stats;
        this.fromClient = fromClient;
        this.spliceAfter = spliceAfter;
    }

    /** Whether this side has finished sending (its FIN arrived); such a channel must not be asked to read again. */
    boolean inputDone() {
        return inputDone;
    }

    /** Connects this side to the other; reading starts once both exist. Call on the channel's event loop. */
    void peer(Channel peer) {
        this.peer = peer;
        if (early != null) {
            Object msg;
            while ((msg = early.poll()) != null) {
                peer.write(msg);
            }
            peer.flush();
            early = null;
            if (inputDone && peer instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
            }
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (peer == null) {
            if (early == null) {
                early = new java.util.ArrayDeque<>(2);
            }
            early.add(msg);
            return;
        }
        if (!peer.isActive()) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof io.netty.buffer.ByteBuf buf) {
            stats.bytes(fromClient, buf.readableBytes());
            relayed += buf.readableBytes();
        }
        peer.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                if (spliceAfter >= 0 && relayed >= spliceAfter && !spliced && !inputDone && peer.isActive()) {
                    // Nothing of this direction is in flight now: the kernel can take over from here.
                    stats.spliced();
                    splice(ctx.channel());
                } else {
                    ctx.channel().read();
                }
            } else {
                closeBoth(ctx.channel());
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            // This side will send no more: pass the FIN on, keep the other direction flowing.
            inputDone = true;
            if (spliced && peer != null) {
                ctx.channel().config().setAutoRead(false);
                drainAfterSplice(ctx.channel());
            }
            if (peer == null) {
                return; // passed on when the backend connects
            }
            if (peer instanceof DuplexChannel duplex && peer.isActive() && !duplex.isOutputShutdown()) {
                peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> duplex.shutdownOutput());
            }
            Relay other = peer == null ? null : peer.pipeline().get(Relay.class);
            if (other != null && other.inputDone) {
                // Both directions are done. A write may still be queued (the receiver was slow): close each side
                // only once what it was sent has gone out, or the tail of the stream would be cut off.
                closeAfterFlush(ctx.channel());
                closeAfterFlush(peer);
            }
            return;
        }
        if (evt instanceof IdleStateEvent || evt == IdleGuard.Idle.INSTANCE) {
            closeBoth(ctx.channel());
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * Hands this direction to the kernel: from now on bytes move from this channel's socket to the peer's through
     * a pipe with splice(2), never entering user space. Netty's splice keeps reading on (auto-read) and turns it
     * off while the pipe's bytes wait for the peer to drain, so backpressure holds; a FIN still arrives as a
     * {@link ChannelInputShutdownEvent} and is passed on as before, after what the pipe holds. Call on the
     * event loop, once the peer is set and whatever was read before has been written.
     */
    void splice(Channel self) {
        spliced = true;
        io.netty.channel.epoll.AbstractEpollStreamChannel from = (io.netty.channel.epoll.AbstractEpollStreamChannel) self;
        from.spliceTo((io.netty.channel.epoll.AbstractEpollStreamChannel) peer, Integer.MAX_VALUE)
                .addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        spliceEnded(self);
                    }
                });
        if (!inputDone) {
            self.config().setAutoRead(true);
        }
    }

    /**
     * A splice without a length never succeeds: it fails when this channel closes, or on the next read after the
     * peer closed (its pipe is gone), which is how every spliced direction ends, clean or not. Both sides may still
     * hold queued writes (spliced chunks waiting in a pipe, drained bytes, the other direction's tail): each closes
     * once those have gone out, never at once, or the stream would be cut short. After a real write error the
     * flush fails and the channel closes just the same. Deferred: the failure can be reported from inside Netty's
     * read loop, which must not find its channel closed under it.
     */
    private void spliceEnded(Channel self) {
        self.eventLoop().execute(() -> {
            closeAfterFlush(self);
            closeAfterFlush(peer);
        });
    }

    /**
     * After the FIN a spliced channel must not be read again: Netty re-enables auto-read whenever a chunk queued
     * before the FIN has left the pipe, and a level-triggered socket whose input is shut is always readable, so it
     * would spin splicing nothing for as long as the other direction lasts. Turned off again after every read.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (spliced && inputDone && ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(false);
        }
        ctx.fireChannelReadComplete();
    }

    /**
     * Netty's splice shuts the input down as soon as it sees the peer's FIN (EPOLLRDHUP), possibly before it has
     * spliced everything the socket holds. Linux still returns queued bytes after {@code SHUT_RD}, so read them
     * here and write them after what is already queued for the peer. Bounded by the socket's receive buffer.
     */
    private void drainAfterSplice(Channel self) {
        io.netty.channel.unix.FileDescriptor fd = ((io.netty.channel.unix.UnixChannel) self).fd();
        for (int i = 0; i < 4096; i++) {
            io.netty.buffer.ByteBuf buf = self.alloc().directBuffer(DRAIN_CHUNK);
            int n;
            try {
                java.nio.ByteBuffer nio = buf.internalNioBuffer(0, DRAIN_CHUNK);
                n = fd.read(nio, nio.position(), nio.limit());
            } catch (java.io.IOException e) {
                n = -1;
            }
            if (n <= 0) {
                buf.release();
                break;
            }
            buf.writerIndex(n);
            stats.bytes(fromClient, n);
            peer.write(buf);
        }
        peer.flush();
    }

    private static final int DRAIN_CHUNK = 64 * 1024;

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (early != null && peer == null) {
            early.forEach(ReferenceCountUtil::release);
            early = null;
        }
        if (peer != null && peer.isActive()) {
            if (peer instanceof DuplexChannel duplex && duplex.isOutputShutdown()) {
                peer.close(); // nothing can be pending: its output was shut after the last write
            } else {
                // Whatever was already written still reaches the other side before it closes.
                peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closeBoth(ctx.channel());
    }

    private static void closeAfterFlush(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void closeBoth(Channel self) {
        self.close();
        if (peer != null) {
            peer.close();
        }
    }
}

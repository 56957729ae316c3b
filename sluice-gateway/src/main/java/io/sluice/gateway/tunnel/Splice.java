package io.sluice.gateway.tunnel;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One TCP connection joined to one HTTP/2 stream, both ways. The two halves may run on different event loops
 * (the socket's and the tunnel connection's), so they touch each other only through channel operations, which
 * Netty runs in order on the owner's loop, and through the atomic count of finished directions here.
 *
 * <p>Half-close: the socket's FIN becomes END_STREAM, END_STREAM becomes the socket's FIN (after everything
 * before it is written). When both directions are done the socket closes; the stream closes by itself then.
 * Anything abnormal (reset, error, idle timeout, either side closing early) closes both; closing a stream that
 * is not finished sends RST_STREAM.
 */
final class Splice {

    private final Channel tcp;
    private final Channel stream;
    private final TcpPump tcpPump;
    private final StreamPump streamPump;
    private final AtomicInteger directionsDone = new AtomicInteger();

    private Splice(Channel tcp, Channel stream, TcpPump tcpPump, TunnelMetrics metrics, boolean clientSide) {
        this.tcp = tcp;
        this.stream = stream;
        this.tcpPump = tcpPump;
        this.streamPump = new StreamPump(this, metrics, !clientSide);
    }

    /**
     * Joins {@code tcp} (which already has its {@link TcpPump}) to {@code stream} and starts both reading.
     * Call once the stream is established (client: 2xx received; server: 2xx sent).
     */
    static Splice join(Channel tcp, Channel stream, TunnelMetrics metrics, boolean clientSide) {
        TcpPump tcpPump = tcp.pipeline().get(TcpPump.class);
        Splice splice = new Splice(tcp, stream, tcpPump, metrics, clientSide);
        stream.pipeline().addLast("pump", splice.streamPump);
        tcpPump.attach(splice);
        stream.read();
        return splice;
    }

    Channel tcp() {
        return tcp;
    }

    Channel stream() {
        return stream;
    }

    TcpPump tcpPump() {
        return tcpPump;
    }

    StreamPump streamPump() {
        return streamPump;
    }

    /** The socket sent its FIN: end the stream after what was read before it. */
    void tcpInputDone() {
        stream.writeAndFlush(TcpPump.endStream()).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                abort();
            } else {
                directionDone();
            }
        });
    }

    /** END_STREAM arrived: shut the socket's output once everything before it is written. */
    void streamInputDone() {
        tcp.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                abort();
                return;
            }
            if (tcp instanceof DuplexChannel duplex && tcp.isActive()) {
                duplex.shutdownOutput().addListener(s -> directionDone());
            } else {
                directionDone();
            }
        });
    }

    private void directionDone() {
        if (directionsDone.incrementAndGet() == 2) {
            tcp.close();
        }
    }

    /** The socket closed: a stream still open is reset (nothing more can reach it). */
    void tcpClosed() {
        if (stream.isActive()) {
            stream.close();
        }
    }

    /** The stream closed (finished, reset, or its connection died): the socket closes after pending writes. */
    void streamClosed() {
        if (tcp.isActive()) {
            tcp.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    void abort() {
        tcp.close();
        stream.close();
    }
}

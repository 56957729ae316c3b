package io.sluice.gateway.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;

/**
 * Whether a connection is still sending, and since when its output has not moved. A response can end its exchange
 * long before its last byte leaves (a static file goes as one {@code sendfile} region, queued whole), so the
 * keep-alive clock must not run while it drains, and a client that stops reading must still meet the write timeout.
 * Reads the channel's outbound buffer as Netty's {@code IdleStateHandler} does with {@code observeOutput}: the
 * message at its head, that message's progress and the bytes pending, any of which changes when the socket takes
 * bytes. Event-loop confined, like its handler.
 */
final class OutputProgress {

    private int message;
    private long progress;
    private long pending;
    private long stalledSince;

    /** True while flushed output waits for the socket; notes {@code now} whenever that output has moved. */
    boolean sending(Channel channel, long now) {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        Object current = buffer == null ? null : buffer.current();
        if (current == null) {
            stalledSince = 0;
            return false;
        }
        int identity = System.identityHashCode(current);
        long currentProgress = buffer.currentProgress();
        long pendingBytes = buffer.totalPendingWriteBytes();
        if (stalledSince == 0 || identity != message || currentProgress != progress || pendingBytes != pending) {
            message = identity;
            progress = currentProgress;
            pending = pendingBytes;
            stalledSince = now;
        }
        return true;
    }

    /** How long the output has not moved, as of {@code now}; meaningful right after {@link #sending} said true. */
    long stalledFor(long now) {
        return now - stalledSince;
    }
}

package io.sluice.gateway.l4;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a forwarded connection (both halves) after {@code idle} without a read on either side. It sits on both
 * channels of one pair, which share an event loop, and counts {@code channelReadComplete}: Netty fires it after
 * every read, including the reads that splice(2) does without handing the pipeline any bytes, so the timeout
 * holds in both the copying and the splicing relay. A read on one side is what makes the other side write, so
 * "no read either way" is "no bytes either way".
 */
@ChannelHandler.Sharable
final class IdleGuard extends ChannelInboundHandlerAdapter {

    private final long idleNanos;
    private long lastActivity = System.nanoTime();
    private io.netty.util.concurrent.Future<?> timer;

    IdleGuard(Duration idle) {
        this.idleNanos = idle.toNanos();
    }

    /**
     * Starts watching; call on the client channel's event loop once it is active. The timer is cancelled when the
     * client closes, so a closed connection leaves nothing queued on the event loop for the rest of the timeout.
     */
    void start(Channel client) {
        schedule(client, idleNanos);
        client.closeFuture().addListener(f -> timer.cancel(false));
    }

    private void schedule(Channel client, long delayNanos) {
        timer = client.eventLoop().schedule(() -> {
            if (!client.isOpen()) {
                return;
            }
            long quiet = System.nanoTime() - lastActivity;
            if (quiet >= idleNanos) {
                client.pipeline().fireUserEventTriggered(Idle.INSTANCE);
            } else {
                schedule(client, idleNanos - quiet);
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        lastActivity = System.nanoTime();
        ctx.fireChannelReadComplete();
    }

    /** Fired on the client channel when the pair has been idle too long; the relay closes both halves. */
    enum Idle {
        INSTANCE
    }
}

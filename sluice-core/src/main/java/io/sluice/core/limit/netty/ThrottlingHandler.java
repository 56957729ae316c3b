package io.sluice.core.limit.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.sluice.core.limit.BandwidthThrottle;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Holds a whole channel's inbound bytes to a {@link BandwidthThrottle}, for byte streams that have no HTTP
 * exchange to do it (an L4 relay, the transfer engine's downloads). Each read is debited and passed on at once;
 * when the throttle asks for a wait, reading pauses through the channel's {@link ReadGate}, so a handler that
 * pauses reading for its own backpressure meanwhile is never overridden, and reading resumes only when both
 * agree. Explicit {@code read()} calls made while the throttle holds are held back and issued afterwards.
 *
 * <p>Not sharable: one instance per channel, usually with a per-connection throttle whose parents are the
 * route's and the global one. Place it right after the socket (before TLS, to count wire bytes) or after TLS
 * (to count payload).
 */
public final class ThrottlingHandler extends ChannelDuplexHandler {

    private final BandwidthThrottle throttle;
    private final LongSupplier nanoTime;
    private ReadPacer pacer;
    private ReadGate gate;
    private boolean readRequested;

    public ThrottlingHandler(BandwidthThrottle throttle) {
        this(throttle, System::nanoTime);
    }

    /** @param nanoTime the clock of {@code throttle}; tests pass the virtual time of their event loop */
    public ThrottlingHandler(BandwidthThrottle throttle, LongSupplier nanoTime) {
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** True while reading is held back by the throttle. */
    public boolean paused() {
        return pacer != null && pacer.holding();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        gate = ReadGate.of(ctx.channel());
        pacer = new ReadPacer(gate, ctx.executor(), nanoTime).onResume(() -> {
            if (readRequested) {
                readRequested = false;
                ctx.read();
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        int bytes = msg instanceof ByteBuf buf ? buf.readableBytes()
                : msg instanceof ByteBufHolder holder ? holder.content().readableBytes() : 0;
        pacer.onRead(throttle, bytes);
        ctx.fireChannelRead(msg);
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (gate.pausedBy(ReadGate.THROTTLE)) {
            readRequested = true; // issued once the wait is over
        } else {
            ctx.read();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (pacer != null) {
            pacer.cancel();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        pacer.cancel();
        super.channelInactive(ctx);
    }
}

package io.sluice.core.limit.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sluice.core.limit.BandwidthThrottle;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The channel stands in for a socket that always has data: it delivers a chunk whenever reading is on, as
 * a real transport would, and virtual time moves only while reading is paused.
 */
class ThrottlingHandlerTest {

    private static final int CHUNK = 16 * 1024;
    private static final long TEN_SECONDS = Duration.ofSeconds(10).toNanos();

    private long now;

    @Test
    void holdsInboundBytesToTheRateAndNeverReadsAheadOfIt() {
        long bitsPerSecond = 8_000_000; // 1 MB/s
        long burst = 64 * 1024;
        ThrottlingHandler handler = new ThrottlingHandler(BandwidthThrottle.of(bitsPerSecond, burst), () -> now);
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        channel.freezeTime();
        long delivered = 0;
        int pauses = 0;

        while (now < TEN_SECONDS) {
            if (channel.config().isAutoRead()) {
                channel.writeInbound(Unpooled.wrappedBuffer(new byte[CHUNK]));
                delivered += CHUNK;
                ByteBuf passed = channel.readInbound();
                assertThat(passed.readableBytes()).as("passed on at once, not held").isEqualTo(CHUNK);
                passed.release();
                // Memory bound: what was read never exceeds the allowance by more than the read in hand.
                assertThat(delivered).isLessThanOrEqualTo(bitsPerSecond / 8 * now / 1_000_000_000 + burst + CHUNK);
            } else {
                assertThat(handler.paused()).isTrue();
                pauses++;
                long delay = channel.runScheduledPendingTasks();
                assertThat(delay).as("a resume is scheduled").isPositive();
                now += delay;
                channel.advanceTimeBy(delay, TimeUnit.NANOSECONDS);
                channel.runScheduledPendingTasks();
            }
        }

        assertThat(pauses).isGreaterThan(100);
        assertThat(delivered * 8.0 / (now / 1e9)).isCloseTo(bitsPerSecond, within(bitsPerSecond * 0.05));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void holdsBackExplicitReadsWhilePausedAndIssuesOneOnResume() {
        ThrottlingHandler handler = new ThrottlingHandler(BandwidthThrottle.of(8_000_000, 1024), () -> now);
        ReadCounter reads = new ReadCounter();
        EmbeddedChannel channel = new EmbeddedChannel(reads, handler);
        channel.freezeTime();
        ReadGate.of(channel).pause(ReadGate.BACKPRESSURE); // a handler doing its own backpressure
        reads.count = 0;

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[CHUNK]));
        channel.read();
        channel.read();
        assertThat(handler.paused()).isTrue();
        assertThat(reads.count).isZero();

        long delay = channel.runScheduledPendingTasks();
        now += delay;
        channel.advanceTimeBy(delay, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();

        assertThat(handler.paused()).isFalse();
        assertThat(reads.count).isEqualTo(1);
        assertThat(channel.config().isAutoRead()).as("left as the other handler set it").isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void aThrottleWaitEndingNeverResumesReadsThatBackpressureStillHolds() {
        ThrottlingHandler handler = new ThrottlingHandler(BandwidthThrottle.of(8_000_000, 1024), () -> now);
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        channel.freezeTime();
        ReadGate gate = ReadGate.of(channel);

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[CHUNK]));
        assertThat(handler.paused()).isTrue();
        gate.pause(ReadGate.BACKPRESSURE);
        long delay = channel.runScheduledPendingTasks();
        now += delay;
        channel.advanceTimeBy(delay, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();

        assertThat(handler.paused()).isFalse();
        assertThat(channel.config().isAutoRead()).as("backpressure still holds").isFalse();
        gate.resume(ReadGate.BACKPRESSURE);
        assertThat(channel.config().isAutoRead()).isTrue();

        // And the other way round: backpressure lifting during a throttle wait does not resume reading.
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[CHUNK]));
        assertThat(handler.paused()).isTrue();
        gate.pause(ReadGate.BACKPRESSURE);
        gate.resume(ReadGate.BACKPRESSURE);
        assertThat(channel.config().isAutoRead()).as("the throttle still holds").isFalse();
        channel.finishAndReleaseAll();
    }

    /** Sits next to the socket and counts the reads that reach it. */
    private static final class ReadCounter extends ChannelOutboundHandlerAdapter {
        int count;

        @Override
        public void read(ChannelHandlerContext ctx) {
            count++;
            ctx.read();
        }
    }
}

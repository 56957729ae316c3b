package io.sluice.gateway.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The per-stream zstd codec on its own: pulled decompression, and nothing lost when the stream closes early. */
class ZstdStreamCodecTest {

    private static final int CHUNK = 16 * 1024;
    private final TunnelMetrics metrics = new TunnelMetrics(new SimpleMeterRegistry(), "test");

    @Test
    void eachReadYieldsAtMostOneChunkAndTheEndComesLast() {
        byte[] data = text(200_000);
        EmbeddedChannel receiver = receiver();
        receiver.writeInbound(compress(data).toArray(new Object[0]));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        boolean ended = false;
        for (int reads = 0; reads < 1000 && !ended; reads++) {
            Http2DataFrame f;
            while ((f = receiver.readInbound()) != null) {
                assertThat(f.content().readableBytes()).isLessThanOrEqualTo(CHUNK);
                assertThat(ended).isFalse();
                got.writeBytes(bytes(f.content()));
                ended = f.isEndStream();
                f.release();
            }
            receiver.read();
            receiver.runPendingTasks();
        }
        assertThat(ended).isTrue();
        assertThat(got.toByteArray()).isEqualTo(data);
        receiver.finishAndReleaseAll();
    }

    @Test
    void framesStillCompressedWhenTheStreamClosesAreDeliveredNotDropped() {
        byte[] data = text(300_000);
        EmbeddedChannel receiver = receiver();
        receiver.writeInbound(compress(data).toArray(new Object[0])); // nobody reads: most of it waits
        receiver.close(); // Netty closes a stream channel once both sides ended it, read or not
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        boolean ended = false;
        Http2DataFrame f;
        while ((f = receiver.readInbound()) != null) {
            got.writeBytes(bytes(f.content()));
            ended |= f.isEndStream();
            f.release();
        }
        assertThat(got.toByteArray()).isEqualTo(data);
        assertThat(ended).isTrue();
    }

    /** A receiving codec whose channel never reads by itself (the pump asks, one read at a time). */
    private EmbeddedChannel receiver() {
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void read(ChannelHandlerContext ctx) {
                // the channel's own read: nothing queued in this test beyond what was written inbound
            }
        }, new ZstdStreamCodec(1, CHUNK, metrics, false));
        ch.config().setAutoRead(false);
        return ch;
    }

    /** What a sending codec puts on the wire for {@code data} in 16 KiB socket reads, then END_STREAM. */
    private java.util.List<Http2DataFrame> compress(byte[] data) {
        EmbeddedChannel sender = new EmbeddedChannel(new ZstdStreamCodec(1, CHUNK, metrics, true));
        for (int off = 0; off < data.length; off += CHUNK) {
            sender.writeOutbound(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(data, off,
                    Math.min(CHUNK, data.length - off)), false));
        }
        sender.writeOutbound(new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true));
        java.util.List<Http2DataFrame> frames = new java.util.ArrayList<>();
        Http2DataFrame f;
        while ((f = sender.readOutbound()) != null) {
            frames.add(f);
        }
        sender.finishAndReleaseAll();
        return frames;
    }

    private static byte[] text(int n) {
        StringBuilder b = new StringBuilder();
        Random r = new Random(n);
        while (b.length() < n) {
            b.append("line ").append(r.nextInt(1000)).append(" of something quite repetitive\n");
        }
        return b.substring(0, n).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }
}

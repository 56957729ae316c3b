package io.sluice.gateway.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The heap cumulation the tunnel's SslHandler uses: same bytes in order, heap-backed, nothing leaked. */
class TunnelTlsCumulatorTest {

    @Test
    void gathersDirectReadsIntoHeapWithoutLosingOrLeaking() {
        PooledByteBufAllocator alloc = new PooledByteBufAllocator(true);
        Random random = new Random(9);
        byte[] expected = new byte[200_000];
        random.nextBytes(expected);
        List<ByteBuf> reads = new ArrayList<>();
        ByteBuf cumulation = Unpooled.EMPTY_BUFFER;
        byte[] got = new byte[expected.length];
        int sent = 0;
        int received = 0;
        while (sent < expected.length) {
            int n = Math.min(expected.length - sent, 1 + random.nextInt(40_000));
            ByteBuf read = random.nextBoolean() ? alloc.directBuffer(n) : alloc.heapBuffer(n);
            read.writeBytes(expected, sent, n);
            reads.add(read);
            sent += n;
            cumulation = TunnelTls.HEAP_CUMULATOR.cumulate(alloc, cumulation, read);
            assertThat(cumulation.hasArray()).isTrue();
            // consume part of it, as SslHandler does record by record
            int take = random.nextInt(cumulation.readableBytes() + 1);
            cumulation.readBytes(got, received, take);
            received += take;
        }
        int rest = cumulation.readableBytes();
        cumulation.readBytes(got, received, rest);
        received += rest;
        assertThat(received).isEqualTo(expected.length);
        assertThat(got).isEqualTo(expected);
        cumulation.release();
        for (ByteBuf read : reads) {
            assertThat(read.refCnt()).isZero();
        }
    }
}

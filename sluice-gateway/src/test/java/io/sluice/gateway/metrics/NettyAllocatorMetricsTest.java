package io.sluice.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class NettyAllocatorMetricsTest {

    @Test
    void pooledAllocatorReportsUsedMemoryArenasAndChunkSize() {
        PooledByteBufAllocator allocator = new PooledByteBufAllocator(true, 1, 1, 8192, 9);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new NettyAllocatorMetrics("test", allocator).bindTo(registry);

        ByteBuf buf = allocator.directBuffer(1024);
        try {
            assertThat(used(registry, "direct")).isPositive();
        } finally {
            buf.release();
        }
        assertThat(registry.get(GatewayMetricNames.NETTY_ALLOCATOR_ARENAS)
                        .tag(GatewayMetricNames.MEMORY_TYPE, "direct").gauge().value())
                .isEqualTo(1.0);
        assertThat(registry.get(GatewayMetricNames.NETTY_ALLOCATOR_CHUNK_SIZE).gauge().value())
                .isEqualTo(8192.0 * (1 << 9));
    }

    @Test
    void nonPooledAllocatorReportsOnlyUsedMemory() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new NettyAllocatorMetrics("unpooled", new UnpooledByteBufAllocator(true)).bindTo(registry);

        assertThat(registry.find(GatewayMetricNames.NETTY_ALLOCATOR_MEMORY_USED).gauges()).hasSize(2);
        assertThat(registry.find(GatewayMetricNames.NETTY_ALLOCATOR_ARENAS).gauges()).isEmpty();
    }

    @Test
    void namesTheWellKnownAllocators() {
        assertThat(NettyAllocatorMetrics.nameOf(PooledByteBufAllocator.DEFAULT)).isEqualTo("pooled");
        assertThat(NettyAllocatorMetrics.nameOf(UnpooledByteBufAllocator.DEFAULT)).isEqualTo("unpooled");
    }

    private static double used(SimpleMeterRegistry registry, String memoryType) {
        return registry.get(GatewayMetricNames.NETTY_ALLOCATOR_MEMORY_USED)
                .tag(GatewayMetricNames.ALLOCATOR, "test")
                .tag(GatewayMetricNames.MEMORY_TYPE, memoryType)
                .gauge()
                .value();
    }
}

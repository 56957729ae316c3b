package io.sluice.gateway.metrics;

import static io.sluice.gateway.metrics.GatewayMetricNames.ALLOCATOR;
import static io.sluice.gateway.metrics.GatewayMetricNames.MEMORY_TYPE;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.Locale;
import java.util.Objects;

/**
 * Memory held by one Netty buffer allocator: used heap and direct bytes for any allocator, and for a
 * pooled one its arenas, thread-local caches and chunk size. Values are read at scrape time.
 */
public final class NettyAllocatorMetrics implements MeterBinder {

    private final String name;
    private final ByteBufAllocatorMetric metric;

    /**
     * @param name      the {@code allocator} tag value, e.g. {@code pooled}
     * @param allocator the allocator to observe
     */
    public NettyAllocatorMetrics(String name, ByteBufAllocatorMetricProvider allocator) {
        this.name = Objects.requireNonNull(name, "name");
        this.metric = Objects.requireNonNull(allocator, "allocator").metric();
    }

    /** Observes {@code allocator} under the tag {@link #nameOf(Object) nameOf(allocator)}. */
    public static NettyAllocatorMetrics of(ByteBufAllocatorMetricProvider allocator) {
        return new NettyAllocatorMetrics(nameOf(allocator), allocator);
    }

    /** {@code pooled}, {@code adaptive}, {@code unpooled}, or the lower-cased class name of anything else. */
    public static String nameOf(Object allocator) {
        if (allocator instanceof PooledByteBufAllocator) {
            return "pooled";
        }
        if (allocator instanceof AdaptiveByteBufAllocator) {
            return "adaptive";
        }
        if (allocator instanceof UnpooledByteBufAllocator) {
            return "unpooled";
        }
        return allocator.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Tags tags = Tags.of(ALLOCATOR, name);
        Gauge.builder(GatewayMetricNames.NETTY_ALLOCATOR_MEMORY_USED, metric, ByteBufAllocatorMetric::usedHeapMemory)
                .tags(tags).tag(MEMORY_TYPE, "heap")
                .baseUnit(BaseUnits.BYTES)
                .description("Heap memory held by the Netty allocator")
                .strongReference(true)
                .register(registry);
        Gauge.builder(GatewayMetricNames.NETTY_ALLOCATOR_MEMORY_USED, metric, ByteBufAllocatorMetric::usedDirectMemory)
                .tags(tags).tag(MEMORY_TYPE, "direct")
                .baseUnit(BaseUnits.BYTES)
                .description("Direct (off-heap) memory held by the Netty allocator")
                .strongReference(true)
                .register(registry);

        if (metric instanceof PooledByteBufAllocatorMetric pooled) {
            Gauge.builder(GatewayMetricNames.NETTY_ALLOCATOR_ARENAS, pooled, PooledByteBufAllocatorMetric::numHeapArenas)
                    .tags(tags).tag(MEMORY_TYPE, "heap")
                    .description("Heap arenas of the pooled Netty allocator")
                    .strongReference(true)
                    .register(registry);
            Gauge.builder(GatewayMetricNames.NETTY_ALLOCATOR_ARENAS, pooled, PooledByteBufAllocatorMetric::numDirectArenas)
                    .tags(tags).tag(MEMORY_TYPE, "direct")
                    .description("Direct arenas of the pooled Netty allocator")
                    .strongReference(true)
                    .register(registry);
            Gauge.builder(
                            GatewayMetricNames.NETTY_ALLOCATOR_THREADLOCAL_CACHES,
                            pooled,
                            PooledByteBufAllocatorMetric::numThreadLocalCaches)
                    .tags(tags)
                    .description("Thread-local caches of the pooled Netty allocator")
                    .strongReference(true)
                    .register(registry);
            Gauge.builder(GatewayMetricNames.NETTY_ALLOCATOR_CHUNK_SIZE, pooled, PooledByteBufAllocatorMetric::chunkSize)
                    .tags(tags)
                    .baseUnit(BaseUnits.BYTES)
                    .description("Chunk size of the pooled Netty allocator")
                    .strongReference(true)
                    .register(registry);
        }
    }
}

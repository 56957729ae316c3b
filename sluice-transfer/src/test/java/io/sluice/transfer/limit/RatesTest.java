package io.sluice.transfer.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.transfer.plan.ChunkSizer;
import org.junit.jupiter.api.Test;

class RatesTest {

    @Test
    void bitsAndBytesPerSecond() {
        assertThat(Rates.bytesPerSecond("100Mbps")).isEqualTo(12_500_000);
        assertThat(Rates.bytesPerSecond("10MB/s")).isEqualTo(10_000_000);
        assertThat(Rates.bytesPerSecond("5MiB/s")).isEqualTo(5L << 20);
        assertThatThrownBy(() -> Rates.bytesPerSecond("fast")).hasMessageStartingWith("--limit: fast (expected:");
    }

    @Test
    void chunkSizesAreBinaryAndBounded() {
        assertThat(ChunkSizer.parse("8MB")).isEqualTo(8L << 20);
        assertThat(ChunkSizer.parse("64MiB")).isEqualTo(64L << 20);
        assertThatThrownBy(() -> ChunkSizer.parse("65MB")).hasMessage("--chunk: 65MB (expected: 1MB..64MB)");
    }

    @Test
    void tokenBucketMakesTheCallerWaitForItsDebt() {
        TokenBucketThrottle t = new TokenBucketThrottle(1000);
        assertThat(t.reserve(500, 0)).isEqualTo(500_000_000L);
        assertThat(t.reserve(0, 1_000_000_000L)).isZero();
    }
}

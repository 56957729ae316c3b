package io.sluice.transfer.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChunkSizeOptionTest {

    @Test
    void chunkSizesAreBinaryAndBounded() {
        assertThat(ChunkSizer.parse("8MB")).isEqualTo(8L << 20);
        assertThat(ChunkSizer.parse("64MiB")).isEqualTo(64L << 20);
        assertThatThrownBy(() -> ChunkSizer.parse("65MB")).hasMessage("--chunk: 65MB (expected: 1MB..64MB)");
    }
}

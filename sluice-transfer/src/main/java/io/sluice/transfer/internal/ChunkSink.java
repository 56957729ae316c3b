package io.sluice.transfer.internal;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.zip.CRC32C;

/** Where a worker puts the bytes of a range: the pre-allocated data file, or an export's reorder buffer. */
public interface ChunkSink {

    /**
     * Takes {@code length} readable bytes of {@code buf}, which belong at {@code position} of the file, feeding them to
     * {@code crc} if it keeps one. Does not release {@code buf} (retain what you keep).
     */
    void write(ByteBuf buf, int length, long position, CRC32C crc) throws IOException;
}

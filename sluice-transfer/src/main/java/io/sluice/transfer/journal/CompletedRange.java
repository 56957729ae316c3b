package io.sluice.transfer.journal;

import io.sluice.transfer.plan.ByteRange;

/** A range whose bytes are on disk (forced) with the CRC32C they had when they arrived. */
public record CompletedRange(long offset, long length, String crc32c) {

    public ByteRange range() {
        return new ByteRange(offset, offset + length);
    }

    public static CompletedRange of(ByteRange range, int crc32c) {
        return new CompletedRange(range.start(), range.length(), String.format("%08x", crc32c));
    }

    public int crc() {
        return Integer.parseUnsignedInt(crc32c, 16);
    }
}

package io.sluice.transfer.export;

import io.netty.buffer.ByteBuf;
import io.sluice.transfer.FetchException;
import io.sluice.transfer.internal.ChunkSink;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.zip.CRC32C;

/**
 * An export's output for a source without byte ranges: one response, passed on in the order it arrives (no reorder
 * buffer, nothing held), feeding the expected digest on the way. A stream cannot take bytes back, so a retry that
 * starts the body again from byte 0 after some bytes went out is refused: the export fails rather than stitching two
 * responses together. A retry before the first byte is fine.
 */
public final class StreamSink implements ChunkSink {

    private final OutputStream out;
    private final MessageDigest digest;
    private long written;

    /** @param digest fed every byte, or null */
    public StreamSink(OutputStream out, MessageDigest digest) {
        this.out = out;
        this.digest = digest;
    }

    @Override
    public void write(ByteBuf buf, int length, long position, CRC32C crc) throws IOException {
        if (position != written) {
            throw new FetchException("the source's response broke off after " + written + " bytes had been exported;"
                    + " without byte ranges it cannot be continued, and a stream cannot be restarted");
        }
        if (digest != null) {
            digest.update(buf.nioBuffer(buf.readerIndex(), length));
        }
        buf.getBytes(buf.readerIndex(), out, length);
        written += length;
    }

    public long written() {
        return written;
    }
}

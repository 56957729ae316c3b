package io.sluice.transfer.internal;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The part file, sized up front and written at offsets with positional writes, so any number of
 * workers write concurrently without seeking and without an intermediate buffer.
 */
public final class DataFile implements AutoCloseable, ChunkSink {

    private final Path path;
    private final FileChannel channel;

    private DataFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** Opens the part file, creating it; when {@code size >= 0} and it differs, sets its length (sparse where the file system allows). */
    public static DataFile open(Path path, long size, boolean fresh) throws IOException {
        if (fresh) {
            Files.deleteIfExists(path);
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            if (size >= 0 && ch.size() != size) {
                ch.truncate(Math.min(size, ch.size()));
                if (size > 0 && ch.size() < size) {
                    ch.write(ByteBuffer.allocate(1), size - 1); // extend to the final length
                }
            }
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new DataFile(path, ch);
    }

    public Path path() {
        return path;
    }

    public FileChannel channel() {
        return channel;
    }

    public long size() throws IOException {
        return channel.size();
    }

    /** Writes {@code length} readable bytes of {@code buf} at {@code position}, feeding them to {@code crc}. Does not release {@code buf}. */
    @Override
    public void write(ByteBuf buf, int length, long position, CRC32C crc) throws IOException {
        long at = position;
        for (ByteBuffer nio : buf.nioBuffers(buf.readerIndex(), length)) {
            crc.update(nio.duplicate());
            while (nio.hasRemaining()) {
                at += channel.write(nio, at);
            }
        }
    }

    /** Makes written data durable before the journal says it is there. */
    public void force() throws IOException {
        channel.force(false);
    }

    public void truncate(long size) throws IOException {
        channel.truncate(size);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

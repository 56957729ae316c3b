package io.sluice.transfer.verify;

import io.sluice.transfer.plan.ByteRange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/** Streamed reads of the data file through one fixed buffer: memory stays constant whatever the size. */
public final class FileVerifier {

    private static final int BUFFER = 1 << 20;

    private FileVerifier() {}

    /** CRC32C of {@code range} of the open file. */
    public static int crc32c(FileChannel file, ByteRange range) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.min(BUFFER, Math.max(1, range.length())));
        long pos = range.start();
        while (pos < range.end()) {
            buf.clear().limit((int) Math.min(buf.capacity(), range.end() - pos));
            int n = file.read(buf, pos);
            if (n < 0) {
                throw new IOException("data file ends at " + pos + ", inside " + range);
            }
            buf.flip();
            crc.update(buf);
            pos += n;
        }
        return (int) crc.getValue();
    }

    /** The {@code algorithm} digest of the whole file, as lower-case hex. */
    public static String digest(Path path, String algorithm) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException(algorithm, e);
        }
        ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            while (ch.read(buf.clear()) >= 0) {
                md.update(buf.flip());
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}

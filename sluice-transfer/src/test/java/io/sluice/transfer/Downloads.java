package io.sluice.transfer;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Helpers shared by the transfer tests. */
final class Downloads {

    static final long MIB = 1L << 20;

    private Downloads() {}

    /** Options with a 1 MiB chunk and no backoff waits, so that retries are instant. */
    static FetchOptions.Builder options(URI url, Path output) {
        return FetchOptions.builder(url, output).chunkSize(MIB).workers(4).backoff(FetchOptions.noBackoff());
    }

    static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** A listener that remembers notices and retries. */
    static class Recording implements FetchListener {
        final List<String> notices = new CopyOnWriteArrayList<>();
        final List<String> retries = new CopyOnWriteArrayList<>();
        final List<io.sluice.transfer.plan.ByteRange> completed = new CopyOnWriteArrayList<>();

        @Override
        public void notice(String message) {
            notices.add(message);
        }

        @Override
        public void retrying(io.sluice.transfer.plan.ByteRange range, int attempt, Throwable cause, long delayNanos) {
            retries.add(range + " #" + attempt + ": " + cause.getMessage());
        }

        @Override
        public void rangeCompleted(io.sluice.transfer.plan.ByteRange range) {
            completed.add(range);
        }
    }
}

package io.sluice.transfer;

import java.net.URI;
import java.nio.file.Path;

/**
 * Runs one fetch in a child JVM (so a test can cap its heap or kill it); prints the result or the error, exits 0
 * or 1. Arguments: URL, output, then optionally the worker count (default 4) and the chunk size in bytes (16 MiB).
 */
public final class FetchChild {

    private FetchChild() {}

    public static void main(String[] args) {
        try {
            int workers = args.length > 2 ? Integer.parseInt(args[2]) : 4;
            long chunk = args.length > 3 ? Long.parseLong(args[3]) : 16L << 20;
            FetchResult r = FetchJob.create(FetchOptions.builder(URI.create(args[0]), Path.of(args[1]))
                    .workers(workers).chunkSize(chunk).build(), null).run();
            System.out.println("ok " + r.size() + " bytes, max heap " + Runtime.getRuntime().maxMemory());
            System.exit(0);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
    }
}

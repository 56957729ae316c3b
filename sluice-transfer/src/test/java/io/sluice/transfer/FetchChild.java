package io.sluice.transfer;

import java.net.URI;
import java.nio.file.Path;

/** Runs one fetch in a child JVM (so a test can cap its heap); prints the result or the error, exits 0 or 1. */
public final class FetchChild {

    private FetchChild() {}

    public static void main(String[] args) {
        try {
            FetchResult r = FetchJob.create(FetchOptions.builder(URI.create(args[0]), Path.of(args[1]))
                    .workers(4).chunkSize(16L << 20).build(), null).run();
            System.out.println("ok " + r.size() + " bytes, max heap " + Runtime.getRuntime().maxMemory());
            System.exit(0);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
    }
}

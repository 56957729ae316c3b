package io.sluice.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Automatic batching: calls wait until {@code maxItems} are pending or {@code maxDelay} has passed since the first
 * of them, then go out as one /batch request. A lone call therefore pays at most {@code maxDelay} extra latency.
 */
final class AutoBatcher {

    private final SluiceClient client;
    private final int maxItems;
    private final long maxDelayNanos;
    private List<Call<?>> calls = new ArrayList<>();
    private List<CompletableFuture<?>> futures = new ArrayList<>();
    private long generation;

    AutoBatcher(SluiceClient client, int maxItems, Duration maxDelay) {
        this.client = client;
        this.maxItems = maxItems;
        this.maxDelayNanos = maxDelay.toNanos();
    }

    <T> CompletableFuture<T> submit(Call<T> call) {
        CompletableFuture<T> future = new CompletableFuture<>();
        boolean full;
        boolean first;
        long gen;
        synchronized (this) {
            calls.add(call);
            futures.add(future);
            first = calls.size() == 1;
            full = calls.size() >= maxItems;
            gen = generation;
        }
        if (full) {
            flush();
        } else if (first) {
            client.transport().schedule(() -> flushIf(gen), maxDelayNanos);
        }
        return future;
    }

    private void flushIf(long gen) {
        synchronized (this) {
            if (gen != generation) {
                return;
            }
        }
        flush();
    }

    /** Sends whatever is pending now. */
    void flush() {
        List<Call<?>> c;
        List<CompletableFuture<?>> f;
        synchronized (this) {
            if (calls.isEmpty()) {
                return;
            }
            c = calls;
            f = futures;
            calls = new ArrayList<>();
            futures = new ArrayList<>();
            generation++;
        }
        client.sendBatch(c, f);
    }
}

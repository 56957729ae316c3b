package io.sluice.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Many calls in one {@code POST /api/v1/batch} (several when more than {@link SluiceClient#MAX_BATCH}): add calls,
 * keep their futures, then {@link #execute()}. The server runs them in order and a failure does not stop the rest;
 * each future completes with its own result or {@link SluiceApiException}. Not thread-safe; send once.
 *
 * <pre>{@code
 * Batch batch = client.newBatch();
 * CompletableFuture<Backend> a = batch.add(Calls.drain("api", "10.0.0.1:80"));
 * CompletableFuture<Backend> b = batch.add(Calls.setWeight("api", "10.0.0.2:80", 200));
 * batch.execute();
 * }</pre>
 */
public final class Batch {

    private final SluiceClient client;
    private final List<Call<?>> calls = new ArrayList<>();
    private final List<CompletableFuture<?>> futures = new ArrayList<>();
    private boolean sent;

    Batch(SluiceClient client) {
        this.client = client;
    }

    /** Adds a call; its future completes once the batch is answered. */
    public <T> CompletableFuture<T> add(Call<T> call) {
        if (sent) {
            throw new IllegalStateException("this batch was already sent");
        }
        CompletableFuture<T> future = new CompletableFuture<>();
        calls.add(call);
        futures.add(future);
        return future;
    }

    public int size() {
        return calls.size();
    }

    /** Sends the batch and waits for every result; the individual failures stay in their futures. */
    public void execute() {
        executeAsync().join();
    }

    /** Sends the batch; completes (never exceptionally) once every call's future is complete. */
    public CompletableFuture<Void> executeAsync() {
        if (sent) {
            throw new IllegalStateException("this batch was already sent");
        }
        sent = true;
        for (int from = 0; from < calls.size(); from += SluiceClient.MAX_BATCH) {
            int to = Math.min(calls.size(), from + SluiceClient.MAX_BATCH);
            client.sendBatch(calls.subList(from, to), futures.subList(from, to));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).handle((v, err) -> null);
    }
}

package io.sluice.transfer;

import io.sluice.transfer.internal.DataFile;
import io.sluice.transfer.internal.RangeFetcher.Completed;
import io.sluice.transfer.journal.CompletedRange;
import io.sluice.transfer.journal.Journal;
import io.sluice.transfer.journal.JournalStore;
import io.sluice.transfer.plan.ChunkSizer;
import io.sluice.transfer.plan.WorkQueue;
import java.io.IOException;

/**
 * Records finished ranges: forces the data to disk first, then replaces the journal, so a journal
 * never claims bytes that a crash could lose. Also applies the chunk-size rule after the first range.
 */
final class Recorder {

    private final JournalStore store;
    private final DataFile data;
    private final WorkQueue queue;
    private final FetchListener listener;
    private Journal journal;
    private boolean adaptive;

    Recorder(Journal journal, JournalStore store, DataFile data, WorkQueue queue, boolean adaptive, FetchListener listener) {
        this.journal = journal;
        this.store = store;
        this.data = data;
        this.queue = queue;
        this.adaptive = adaptive;
        this.listener = listener;
    }

    synchronized void record(Completed done) throws IOException {
        if (done.range().length() == 0) {
            return;
        }
        data.force();
        journal = journal.with(CompletedRange.of(done.range(), done.crc32c()));
        if (adaptive && done.range().length() >= ChunkSizer.MIN) {
            adaptive = false;
            long chosen = ChunkSizer.choose(done.range().length(), done.elapsedNanos(), done.firstByteNanos());
            queue.chunkSize(chosen);
            journal = journal.withChunkSize(chosen);
        }
        store.write(journal);
        listener.rangeCompleted(done.range());
    }

    synchronized long chunkSize() {
        return journal.chunkSize();
    }
}

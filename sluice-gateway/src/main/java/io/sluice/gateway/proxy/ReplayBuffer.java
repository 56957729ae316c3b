package io.sluice.gateway.proxy;

import io.netty.handler.codec.http.HttpContent;
import java.util.ArrayList;
import java.util.List;

/**
 * The request body forwarded so far, kept so that a retry or a hedge can send it again: retained duplicates of the
 * contents written upstream (the same memory, no copy), up to a byte limit ({@code retry.replay_buffer}). Past the
 * limit it lets go of everything and stays {@linkplain #overflowed() overflowed}: the request can no longer be
 * replayed. Event-loop confined; {@link #release()} when the exchange ends.
 */
final class ReplayBuffer {

    private final int limit;
    private final List<HttpContent> contents = new ArrayList<>(2);
    private long bytes;
    private boolean overflowed;

    ReplayBuffer(int limit) {
        this.limit = limit;
    }

    /** Keeps a duplicate of {@code content}, which is about to be written (and so released) upstream. */
    void add(HttpContent content) {
        if (overflowed) {
            return;
        }
        bytes += content.content().readableBytes();
        if (bytes > limit) {
            overflowed = true;
            release();
            return;
        }
        contents.add(content.retainedDuplicate());
    }

    /** Whether the body outgrew the buffer, so the request cannot be sent again. */
    boolean overflowed() {
        return overflowed;
    }

    /** Fresh duplicates of everything kept, in order, for one more attempt; the buffer keeps its own references. */
    List<HttpContent> replay() {
        List<HttpContent> out = new ArrayList<>(contents.size());
        for (HttpContent c : contents) {
            out.add(c.retainedDuplicate());
        }
        return out;
    }

    void release() {
        for (HttpContent c : contents) {
            c.release();
        }
        contents.clear();
    }
}

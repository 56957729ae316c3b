package io.sluice.gateway.proxy;

import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;

/**
 * The request body forwarded so far, kept so a retry can send it again: retained duplicates of the contents
 * written upstream (the same memory, no copy), up to a byte limit. Past the limit it lets go of everything
 * and stays {@linkplain #overflowed() overflowed}: the request can then no longer be replayed. Event-loop
 * confined; {@link #release()} when the exchange ends.
 */
final class ReplayBuffer {

    private final int limit;
    private final List<HttpContent> contents = new ArrayList<>(2);
    private long bytes;
    private boolean overflowed;

    ReplayBuffer(int limit) {
        this.limit = limit;
    }

    /** Keeps a duplicate of {@code content}, which is about to be written (and released) upstream. */
    void add(HttpContent content) {
        if (overflowed) {
            return;
        }
        bytes += content.content().readableBytes();
        if (bytes > limit) {
            overflow();
            return;
        }
        if (content instanceof LastHttpContent last) {
            // Possibly a FullHttpRequest (an h2 request ended by its HEADERS): keep only its body and trailers.
            contents.add(new DefaultLastHttpContent(last.content().retainedDuplicate(), last.trailingHeaders()));
        } else {
            contents.add(content.retainedDuplicate());
        }
    }

    /** Gives up on replay: the body outgrew the buffer (or is known to). */
    void overflow() {
        overflowed = true;
        release();
    }

    boolean overflowed() {
        return overflowed;
    }

    /** Fresh duplicates of everything kept, for one more attempt; the buffer keeps its own references. */
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

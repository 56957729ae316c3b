package io.sluice.core.limit.netty;

import io.netty.channel.Channel;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;

/**
 * The one switch for a channel's {@code autoRead}, shared by everything that may want reading paused: the
 * proxy's backpressure (the next hop cannot take more), a peer that stopped reading, and bandwidth throttling.
 * Each holds its own reason; reading resumes only when no reason is left. Without the gate, one party resuming
 * (say, the backend became writable again) would silently undo another's pause (a throttle's wait).
 *
 * <p>Toggling is lazy: {@code autoRead} changes only when the set of reasons goes from empty to non-empty or
 * back, since on epoll every toggle is a system call. Updates may come from another thread than the channel's
 * (an exchange on the client's event loop pausing its backend connection); they are serialised on this object,
 * and {@code setAutoRead} itself is thread-safe in Netty.
 */
public final class ReadGate {

    /** The next hop cannot take more (its channel is not writable, or something is queued). */
    public static final int BACKPRESSURE = 1;
    /** The peer this channel's data goes to stopped reading. */
    public static final int PEER_BLOCKED = 1 << 1;
    /** A bandwidth throttle asked for a wait. */
    public static final int THROTTLE = 1 << 2;

    private static final AttributeKey<ReadGate> KEY = AttributeKey.valueOf(ReadGate.class, "readGate");

    private final Channel channel;
    private volatile int reasons;

    private ReadGate(Channel channel) {
        this.channel = channel;
    }

    /** The gate of {@code channel}, created on first use. */
    public static ReadGate of(Channel channel) {
        Attribute<ReadGate> attr = channel.attr(KEY);
        ReadGate gate = attr.get();
        if (gate == null) {
            ReadGate fresh = new ReadGate(channel);
            gate = attr.setIfAbsent(fresh);
            if (gate == null) {
                gate = fresh;
            }
        }
        return gate;
    }

    /** Adds or removes {@code reason} (one of the constants); reading runs only while no reason is held. */
    public void set(int reason, boolean paused) {
        if (((reasons & reason) != 0) == paused) {
            return; // the common case, on every drain: nothing changes, no lock taken
        }
        update(reason, paused);
    }

    public void pause(int reason) {
        set(reason, true);
    }

    public void resume(int reason) {
        set(reason, false);
    }

    /** Whether {@code reason} currently holds reading back. */
    public boolean pausedBy(int reason) {
        return (reasons & reason) != 0;
    }

    /** Whether any reason holds reading back. */
    public boolean paused() {
        return reasons != 0;
    }

    /** Drops every reason and reads again: for a connection going back to a pool. */
    public synchronized void clear() {
        reasons = 0;
        if (!channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
    }

    private synchronized void update(int reason, boolean paused) {
        int before = reasons;
        int after = paused ? before | reason : before & ~reason;
        reasons = after;
        if ((before == 0) != (after == 0)) {
            channel.config().setAutoRead(after == 0);
        }
    }
}

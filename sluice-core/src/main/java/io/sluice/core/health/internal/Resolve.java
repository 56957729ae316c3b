package io.sluice.core.health.internal;

import io.netty.channel.ConnectTimeoutException;
import java.net.InetSocketAddress;

/** Helpers shared by the network checks. */
final class Resolve {

    private Resolve() {}

    /**
     * Resolves on the calling worker thread, not on an event loop (Netty's default resolver blocks there).
     * Resolving per check, unlike the pool, lets a check follow a DNS change.
     */
    static InetSocketAddress address(CheckTarget target) {
        return new InetSocketAddress(target.host(), target.port());
    }

    static int timeoutMillis(CheckTarget target) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, target.config().timeout().toMillis()));
    }

    /** A short cause for the log: {@code Connection refused}, not a stack trace. */
    static String describe(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return "timed out";
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}

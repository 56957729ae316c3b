package io.sluice.core.balance;

import java.net.SocketAddress;

/** What a balancer may know of the request it places: the client address and request headers. */
public interface PickContext {

    SocketAddress clientAddress();

    /** A request header's first value, or null. */
    String header(String name);

    /**
     * A cookie's value from the {@code Cookie} header, or null. Reads the first {@code Cookie} header only;
     * cookie names are case-sensitive (RFC 6265).
     */
    default String cookie(String name) {
        String cookies = header("cookie");
        if (cookies == null) {
            return null;
        }
        int start = 0;
        while (start < cookies.length()) {
            int end = cookies.indexOf(';', start);
            if (end < 0) {
                end = cookies.length();
            }
            int eq = cookies.indexOf('=', start);
            if (eq > 0 && eq < end && cookies.substring(start, eq).strip().equals(name)) {
                return cookies.substring(eq + 1, end).strip();
            }
            start = end + 1;
        }
        return null;
    }
}

package io.sluice.core.balance;

import java.net.SocketAddress;

/** What a balancer may know of the request it places: the client address and request headers. */
public interface PickContext {

    SocketAddress clientAddress();

    /** A request header's first value, or null. */
    String header(String name);
}

/**
 * L4 forwarding (issue 9): {@link io.sluice.gateway.l4.TcpForwarder} binds a {@code tcp:} listener and relays each
 * accepted connection to a backend chosen by the listener's balancer, with backpressure both ways (the next chunk is
 * read only once the previous one was written, as in Netty's proxy example), half-close propagation, connect and idle
 * timeouts, and an optional PROXY protocol v2 header so backends see the client's address.
 */
package io.sluice.gateway.l4;

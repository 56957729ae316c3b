/**
 * The HTTP reverse proxy data path.
 *
 * <p>Starting points: {@link io.sluice.gateway.proxy.ProxyHandler} sits at the end of every
 * downstream pipeline (an HTTP/1.1 connection, or one HTTP/2 stream child channel, both speaking
 * Netty's {@code HttpObject}s) and runs one {@link io.sluice.gateway.proxy.Exchange} per request.
 * The exchange borrows a connection from the chosen backend's pool, streams the request body up
 * and the response body down with backpressure in both directions, and returns the connection
 * only at a clean message boundary. {@link io.sluice.gateway.proxy.HeaderRewriter} applies the
 * RFC 9110 proxy header rules; {@link io.sluice.gateway.proxy.ErrorResponses} writes the gateway's
 * own short plain-text answers.
 */
package io.sluice.gateway.proxy;

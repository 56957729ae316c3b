/**
 * The ranged HTTP/1.1 client: {@link io.sluice.transfer.http.RangeClient} (Netty, pooled keep-alive
 * connections through {@code io.sluice.core.pool}), {@link io.sluice.transfer.http.ResponseStream}
 * (blocking reads for worker threads, {@code AUTO_READ} off), and the strict parsing of
 * {@code Content-Range} and {@code Retry-After}.
 */
package io.sluice.transfer.http;

/**
 * The {@code static} route type (issue 7's serving side): {@link io.sluice.gateway.files.StaticFiles} serves files
 * under a root with Range, If-Range, ETag/Last-Modified and HEAD, by zero-copy {@code sendfile} (Netty
 * {@code FileRegion}) on cleartext HTTP/1.1 and by fixed-size chunked reads under TLS and HTTP/2. Under a bandwidth
 * limit {@link io.sluice.gateway.files.PacedBody} sends the body in paced pieces instead.
 */
package io.sluice.gateway.files;

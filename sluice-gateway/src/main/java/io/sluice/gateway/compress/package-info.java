/**
 * Response compression (seeds 000, 002, 004): {@link io.sluice.gateway.compress.ResponseCompressor} is Netty's
 * {@code HttpContentCompressor} with the rules a proxy needs on top: only compressible content types, only above a
 * minimum size, never ranges or responses that already carry a Content-Encoding, and always {@code Vary}.
 */
package io.sluice.gateway.compress;

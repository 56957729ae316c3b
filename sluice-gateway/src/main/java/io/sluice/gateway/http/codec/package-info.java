/**
 * Strict HTTP/1.1 message framing for both sides of the proxy.
 *
 * <p>A reverse proxy is only as safe as the agreement between its parser and its backends' parsers on where
 * each message ends (RFC 9112 §6.1, §6.3, §11.2). Everything here follows one rule: a message that two
 * conforming implementations could frame differently is rejected, never repaired.
 *
 * <ul>
 *   <li>{@link io.sluice.gateway.http.codec.SluiceServerCodec} — client-facing codec (replaces
 *       {@code HttpServerCodec}); failures surface as failed {@code decoderResult()}s.</li>
 *   <li>{@link io.sluice.gateway.http.codec.FramingGuard} — right after it; turns failures into
 *       400/414/417/431 + close, and late body failures into a
 *       {@link io.sluice.gateway.http.codec.FramingGuard.FramingError} event, so the proxy never sees a
 *       malformed request.</li>
 *   <li>{@link io.sluice.gateway.http.codec.StrictClientCodec} — backend-facing codec (replaces
 *       {@code HttpClientCodec}); a failed {@code decoderResult()} on any response object means 502 and
 *       closing that upstream connection.</li>
 *   <li>{@link io.sluice.gateway.http.codec.LingeringClose} — how a connection ends after a response sent while
 *       the client may still be sending (RFC 9112 §9.6): FIN, drop the rest, close when the client does.</li>
 * </ul>
 */
package io.sluice.gateway.http.codec;

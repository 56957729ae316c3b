/**
 * The Netty side of the limiters: {@link io.sluice.core.limit.netty.ReadGate}, the one {@code autoRead} switch a
 * channel's backpressure and its throttling share; {@link io.sluice.core.limit.netty.ReadPacer}, which pauses a
 * channel's reads while a {@link io.sluice.core.limit.BandwidthThrottle} asks for a wait; and
 * {@link io.sluice.core.limit.netty.ThrottlingHandler}, the same for a whole channel's inbound bytes.
 */
package io.sluice.core.limit.netty;

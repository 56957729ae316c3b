package io.sluice.gateway.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.function.Consumer;

/**
 * The Capsule Protocol (RFC 9297 3.2) as CONNECT-UDP uses it (RFC 9298 5): a stream's DATA carries capsules
 * {@code Type (varint), Length (varint), Value}; a DATAGRAM capsule (type 0x00) holds an HTTP Datagram whose payload
 * is {@code Context ID (varint)} then, for context 0, one whole UDP payload. Variable-length integers are QUIC's
 * (RFC 9000 16): the top two bits of the first byte give the length, 1, 2, 4 or 8 bytes.
 *
 * <p>A {@link Reader} turns a stream's DATA, cut anywhere, back into datagrams: it keeps the unread rest of one
 * frame at most (a capsule is at most {@link #MAX_DATAGRAM_CAPSULE}, a frame at most {@code max_frame}), skips capsules of unknown types without buffering them and
 * drops datagrams of a context other than 0, as RFC 9297/9298 ask.
 */
final class Capsules {

    static final long DATAGRAM = 0x00;
    /** A UDP payload (at most 65,527 bytes over IPv4, 65,535 over IPv6 jumbograms aside) plus its context id. */
    static final int MAX_DATAGRAM_CAPSULE = 65_535 + 8;

    private Capsules() {}

    /** The DATAGRAM capsule (context 0) carrying {@code payload}; takes ownership of {@code payload}. */
    static ByteBuf datagram(ByteBufAllocator alloc, ByteBuf payload) {
        int length = payload.readableBytes() + 1; // + context id 0, one byte
        ByteBuf header = alloc.directBuffer(1 + varintSize(length) + 1);
        writeVarint(header, DATAGRAM);
        writeVarint(header, length);
        writeVarint(header, 0);
        CompositeByteBuf capsule = alloc.compositeDirectBuffer(2);
        capsule.addComponents(true, header, payload);
        return capsule;
    }

    static int varintSize(long v) {
        return v < 64 ? 1 : v < 16_384 ? 2 : v < 1L << 30 ? 4 : 8;
    }

    static void writeVarint(ByteBuf out, long v) {
        switch (varintSize(v)) {
            case 1 -> out.writeByte((int) v);
            case 2 -> out.writeShort((int) (0x4000 | v));
            case 4 -> out.writeInt((int) (0x8000_0000L | v));
            default -> out.writeLong(0xC000_0000_0000_0000L | v);
        }
    }

    /** A varint at {@code in}'s reader index without consuming it, or -1 when not all of its bytes are there. */
    static long peekVarint(ByteBuf in, int at) {
        if (in.writerIndex() - at < 1) {
            return -1;
        }
        int first = in.getUnsignedByte(at);
        int size = 1 << (first >> 6);
        if (in.writerIndex() - at < size) {
            return -1;
        }
        return switch (size) {
            case 1 -> first & 0x3F;
            case 2 -> in.getUnsignedShort(at) & 0x3FFF;
            case 4 -> in.getUnsignedInt(at) & 0x3FFF_FFFFL;
            default -> in.getLong(at) & 0x3FFF_FFFF_FFFF_FFFFL;
        };
    }

    /** Why a stream's capsules could not be read; the stream is then reset. */
    static final class CapsuleException extends Exception {
        CapsuleException(String message) {
            super(message, null, false, false);
        }
    }

    /** Reassembles capsules from DATA frames; one per stream, used from the stream's event loop only. */
    static final class Reader {
        private ByteBuf pending;
        private long skipping;

        /**
         * Feeds one DATA frame's bytes (borrowed: {@code data} stays the caller's); hands each whole datagram of
         * context 0 to {@code out}, which owns it. Unknown capsule types are skipped; returns the count of
         * datagrams dropped because their context id was not 0.
         */
        int feed(ByteBuf data, Consumer<ByteBuf> out) throws CapsuleException {
            if (skipping > 0) {
                int n = (int) Math.min(skipping, data.readableBytes());
                data.skipBytes(n);
                skipping -= n;
            }
            if (!data.isReadable()) {
                return 0;
            }
            ByteBuf in;
            if (pending != null) {
                pending.writeBytes(data);
                in = pending;
            } else {
                in = data;
            }
            int ignored = 0;
            try {
                while (in.isReadable()) {
                    int at = in.readerIndex();
                    long type = peekVarint(in, at);
                    if (type < 0) {
                        break;
                    }
                    int typeSize = varintSize(type);
                    long length = peekVarint(in, at + typeSize);
                    if (length < 0) {
                        break;
                    }
                    int headerSize = typeSize + varintSize(length);
                    if (type != DATAGRAM) {
                        long available = in.readableBytes() - headerSize;
                        if (available >= length) {
                            in.skipBytes(headerSize + (int) length);
                            continue;
                        }
                        in.skipBytes(in.readableBytes());
                        skipping = length - available;
                        break;
                    }
                    if (length > MAX_DATAGRAM_CAPSULE || length < 1) {
                        throw new CapsuleException("DATAGRAM capsule of " + length + " bytes (1.."
                                + MAX_DATAGRAM_CAPSULE + ")");
                    }
                    if (in.readableBytes() < headerSize + length) {
                        break;
                    }
                    in.skipBytes(headerSize);
                    long context = peekVarint(in, in.readerIndex());
                    int contextSize = context < 0 ? 1 : varintSize(context);
                    if (context < 0 || contextSize > length) {
                        throw new CapsuleException("DATAGRAM capsule without a context id");
                    }
                    if (context != 0) {
                        in.skipBytes((int) length);
                        ignored++;
                        continue;
                    }
                    in.skipBytes(contextSize);
                    // A copy of its own size: a slice would pin the whole frame (up to max_frame) per datagram.
                    int n = (int) length - contextSize;
                    ByteBuf payload = in.alloc().directBuffer(n);
                    in.readBytes(payload, n);
                    out.accept(payload);
                }
            } finally {
                keepRest(in, data);
            }
            return ignored;
        }

        /** Keeps the unread tail of an incomplete capsule (copied: the frame's buffer goes back to the caller). */
        private void keepRest(ByteBuf in, ByteBuf data) {
            if (in == pending) {
                if (!pending.isReadable()) {
                    pending.release();
                    pending = null;
                } else {
                    pending.discardReadBytes();
                }
                return;
            }
            if (data.isReadable()) {
                pending = data.alloc().directBuffer(Math.max(256, data.readableBytes()));
                pending.writeBytes(data);
            }
        }

        void release() {
            if (pending != null) {
                pending.release();
                pending = null;
            }
        }
    }
}

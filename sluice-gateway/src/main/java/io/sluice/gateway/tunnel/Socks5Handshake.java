package io.sluice.gateway.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The server half of a SOCKS5 handshake (RFC 1928) on a tunnel client's {@code protocol: socks5} listener:
 * method negotiation (only "no authentication": the listener is meant for 127.0.0.1), then one CONNECT request
 * whose target becomes the stream's {@code :authority}. The reply is sent by {@link #reply} once the tunnel server
 * has answered, so a client sees "connected" only when the target really is. BIND and UDP ASSOCIATE are refused.
 *
 * <p>Sits before the {@link TcpPump}; once the request is read it removes itself, and any bytes the client sent
 * after the request (optimistic data) pass on to the pump, which holds them until the stream is joined.
 */
final class Socks5Handshake extends ByteToMessageDecoder {

    static final byte SUCCEEDED = 0x00;
    static final byte GENERAL_FAILURE = 0x01;
    static final byte NOT_ALLOWED = 0x02;
    static final byte CONNECTION_REFUSED = 0x05;
    static final byte COMMAND_NOT_SUPPORTED = 0x07;
    static final byte ADDRESS_TYPE_NOT_SUPPORTED = 0x08;

    private final BiConsumer<ChannelHandlerContext, String> onTarget;
    private boolean greeted;

    /** @param onTarget called with the requested {@code host:port} once the request is read */
    Socks5Handshake(BiConsumer<ChannelHandlerContext, String> onTarget) {
        this.onTarget = onTarget;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        super.channelActive(ctx);
        ctx.read(); // auto-read is off on tunnel sockets
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!greeted) {
            if (in.readableBytes() < 2) {
                return;
            }
            int n = in.getUnsignedByte(in.readerIndex() + 1);
            if (in.readableBytes() < 2 + n) {
                return;
            }
            if (in.readByte() != 5) {
                fail(ctx, in, null);
                return;
            }
            in.skipBytes(1);
            boolean noAuth = false;
            for (int i = 0; i < n; i++) {
                noAuth |= in.readByte() == 0;
            }
            if (!noAuth) {
                fail(ctx, in, Unpooled.wrappedBuffer(new byte[] {5, (byte) 0xFF}));
                return;
            }
            greeted = true;
            ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {5, 0}));
        }
        String target = request(ctx, in);
        if (target != null) {
            ctx.pipeline().remove(this); // leftover bytes go on to the TcpPump
            onTarget.accept(ctx, target);
        }
    }

    /** The CONNECT target, or null until the request is complete (or after a refusal). */
    private String request(ChannelHandlerContext ctx, ByteBuf in) {
        if (in.readableBytes() < 5) {
            return null;
        }
        int start = in.readerIndex();
        int atyp = in.getUnsignedByte(start + 3);
        int addressLength = switch (atyp) {
            case 1 -> 4;
            case 4 -> 16;
            case 3 -> 1 + in.getUnsignedByte(start + 4);
            default -> -1;
        };
        if (addressLength < 0) {
            fail(ctx, in, reply(ADDRESS_TYPE_NOT_SUPPORTED));
            return null;
        }
        if (in.readableBytes() < 4 + addressLength + 2) {
            return null;
        }
        if (in.getByte(start) != 5 || in.getByte(start + 1) != 1) {
            fail(ctx, in, reply(COMMAND_NOT_SUPPORTED)); // only CONNECT
            return null;
        }
        in.skipBytes(4);
        String host;
        if (atyp == 3) {
            int len = in.readUnsignedByte();
            host = in.readCharSequence(len, StandardCharsets.US_ASCII).toString();
        } else {
            byte[] address = new byte[addressLength];
            in.readBytes(address);
            try {
                host = InetAddress.getByAddress(address).getHostAddress();
            } catch (UnknownHostException e) {
                fail(ctx, in, reply(ADDRESS_TYPE_NOT_SUPPORTED));
                return null;
            }
        }
        int port = in.readUnsignedShort();
        return (atyp == 4 ? "[" + host + "]" : host) + ":" + port;
    }

    private static void fail(ChannelHandlerContext ctx, ByteBuf in, ByteBuf answer) {
        in.skipBytes(in.readableBytes());
        if (answer == null) {
            ctx.close();
        } else {
            ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** A reply with an unspecified bound address (0.0.0.0:0): the tunnel has no meaningful one to give. */
    static ByteBuf reply(byte status) {
        return Unpooled.wrappedBuffer(new byte[] {5, status, 0, 1, 0, 0, 0, 0, 0, 0});
    }

    /** The SOCKS5 reply for a tunnel server's refusal status. */
    static byte replyFor(CharSequence status) {
        if (status == null) {
            return GENERAL_FAILURE;
        }
        return switch (status.toString()) {
            case "403" -> NOT_ALLOWED;
            case "502" -> CONNECTION_REFUSED;
            default -> GENERAL_FAILURE;
        };
    }
}

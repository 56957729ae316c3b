package io.sluice.gateway.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 9297 capsules as CONNECT-UDP carries them, read back from DATA cut at any byte. */
class CapsulesTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    @Test
    void aDatagramCapsuleIsTypeZeroLengthContextZeroPayload() {
        ByteBuf capsule = Capsules.datagram(ALLOC, Unpooled.copiedBuffer("hi", StandardCharsets.US_ASCII));
        assertThat(ByteBufUtil.hexDump(capsule)).isEqualTo("0003006869");
        capsule.release();
    }

    @Test
    void varintsUseQuicEncoding() {
        long[] values = {0, 63, 64, 16_383, 16_384, (1L << 30) - 1, 1L << 30, (1L << 62) - 1};
        for (long v : values) {
            ByteBuf b = Unpooled.buffer();
            Capsules.writeVarint(b, v);
            assertThat(b.readableBytes()).isEqualTo(Capsules.varintSize(v));
            assertThat(Capsules.peekVarint(b, 0)).isEqualTo(v);
        }
        // RFC 9000 A.1 examples
        assertThat(Capsules.peekVarint(Unpooled.wrappedBuffer(new byte[] {0x40, 0x25}), 0)).isEqualTo(37);
        assertThat(Capsules.peekVarint(Unpooled.wrappedBuffer(new byte[] {(byte) 0x7b, (byte) 0xbd}), 0))
                .isEqualTo(15_293);
    }

    @Test
    void readsDatagramsSplitAtEveryByteAndSkipsUnknownCapsulesAndContexts() throws Exception {
        ByteBuf wire = Unpooled.buffer();
        wire.writeBytes(bytes(Capsules.datagram(ALLOC, text("first"))));
        wire.writeBytes(new byte[] {0x3f, 0x03, 1, 2, 3});            // unknown capsule type 0x3f: skipped
        wire.writeBytes(new byte[] {0x00, 0x03, 0x05, 'x', 'y'});      // context 5: dropped, counted
        wire.writeBytes(bytes(Capsules.datagram(ALLOC, Unpooled.wrappedBuffer(new byte[300]))));
        wire.writeBytes(bytes(Capsules.datagram(ALLOC, text("last"))));
        byte[] all = bytes(wire);
        for (int cut = 0; cut <= all.length; cut++) {
            Capsules.Reader reader = new Capsules.Reader();
            List<String> got = new ArrayList<>();
            int ignored = 0;
            for (ByteBuf part : List.of(Unpooled.wrappedBuffer(all, 0, cut),
                    Unpooled.wrappedBuffer(all, cut, all.length - cut))) {
                ignored += reader.feed(part, p -> {
                    got.add(p.readableBytes() == 300 ? "300 zeros" : p.toString(StandardCharsets.US_ASCII));
                    p.release();
                });
            }
            reader.release();
            assertThat(got).as("cut at %d", cut).containsExactly("first", "300 zeros", "last");
            assertThat(ignored).isEqualTo(1);
        }
    }

    @Test
    void anUnknownCapsuleLargerThanOneFrameIsSkippedWithoutBuffering() throws Exception {
        Capsules.Reader reader = new Capsules.Reader();
        ByteBuf head = Unpooled.buffer();
        Capsules.writeVarint(head, 0x2a);
        Capsules.writeVarint(head, 100_000);
        head.writeBytes(new byte[1000]);
        List<ByteBuf> out = new ArrayList<>();
        reader.feed(head, out::add);
        reader.feed(Unpooled.wrappedBuffer(new byte[99_000]), out::add);
        ByteBuf after = Capsules.datagram(ALLOC, text("after"));
        reader.feed(after, out::add); // borrowed: still the caller's to release
        after.release();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).toString(StandardCharsets.US_ASCII)).isEqualTo("after");
        out.forEach(ByteBuf::release);
        reader.release();
    }

    @Test
    void anOversizeDatagramCapsuleIsAnError() {
        Capsules.Reader reader = new Capsules.Reader();
        ByteBuf head = Unpooled.buffer();
        Capsules.writeVarint(head, 0);
        Capsules.writeVarint(head, 1_000_000);
        assertThatThrownBy(() -> reader.feed(head, ByteBuf::release))
                .isInstanceOf(Capsules.CapsuleException.class).hasMessageContaining("1000000");
        reader.release();
    }

    @Test
    void theUdpPathCarriesTheTargetPercentEncoded() {
        assertThat(ExtendedConnect.udpPath("192.0.2.6", 443)).isEqualTo("/.well-known/masque/udp/192.0.2.6/443/");
        assertThat(ExtendedConnect.udpPath("2001:db8::42", 53))
                .isEqualTo("/.well-known/masque/udp/2001%3Adb8%3A%3A42/53/");
        assertThat(ExtendedConnect.udpTarget("/.well-known/masque/udp/2001%3Adb8%3A%3A42/53/").orElseThrow())
                .containsExactly("2001:db8::42", "53");
        assertThat(ExtendedConnect.udpTarget("/.well-known/masque/udp/dns.internal/53").orElseThrow())
                .containsExactly("dns.internal", "53");
        assertThat(ExtendedConnect.udpTarget("/.well-known/masque/udp/a/53/x")).isEmpty();
        assertThat(ExtendedConnect.udpTarget("/")).isEmpty();
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = ByteBufUtil.getBytes(b);
        b.release();
        return out;
    }
}

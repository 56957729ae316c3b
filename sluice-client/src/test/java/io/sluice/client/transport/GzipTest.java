package io.sluice.client.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;

/** The reused-Inflater gunzip gives what GZIPInputStream gives, and refuses what it refuses. */
class GzipTest {

    private static final int LIMIT = 1 << 20;

    private static byte[] jdkGunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    private static byte[] jdkGzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void anyDataRoundTripsFromArraysHeapSlicesAndDirectBuffers() throws Exception {
        Random random = new Random(7);
        for (int size : new int[] {0, 1, 63, 64, 65, 1023, 30_000, 200_000}) {
            byte[] noise = new byte[size];
            random.nextBytes(noise);
            byte[] text = "{\"status\": 200, \"body\": {\"address\": \"127.0.0.1:8081\"}} ".repeat(size / 50 + 1)
                    .substring(0, size).getBytes(StandardCharsets.US_ASCII);
            for (byte[] data : new byte[][] {noise, text}) {
                for (byte[] gz : new byte[][] {Gzip.compress(data), jdkGzip(data)}) {
                    assertThat(Gzip.decompress(gz, LIMIT)).isEqualTo(data);
                    byte[] framed = concat(new byte[] {9, 9, 9}, gz, new byte[] {7});
                    ByteBuffer slice = ByteBuffer.wrap(framed, 3, gz.length);
                    assertThat(Gzip.decompress(slice, LIMIT)).isEqualTo(data);
                    assertThat(slice.position()).isEqualTo(3);
                    ByteBuffer direct = ByteBuffer.allocateDirect(gz.length).put(gz).flip();
                    assertThat(Gzip.decompress(direct, LIMIT)).isEqualTo(data);
                }
            }
        }
    }

    @Test
    void concatenatedMembersAndTrailingBytesAreReadAsGzipInputStreamReadsThem() throws Exception {
        byte[] a = "first member ".getBytes(StandardCharsets.US_ASCII);
        byte[] b = "second member".repeat(100).getBytes(StandardCharsets.US_ASCII);
        byte[] two = concat(Gzip.compress(a), jdkGzip(b));
        assertThat(Gzip.decompress(two, LIMIT)).isEqualTo(jdkGunzip(two)).isEqualTo(concat(a, b));
        byte[] trailing = concat(Gzip.compress(a), new byte[] {0, 0, 0, 0});
        assertThat(Gzip.decompress(trailing, LIMIT)).isEqualTo(jdkGunzip(trailing)).isEqualTo(a);
    }

    @Test
    void optionalHeaderFieldsAreSkippedAndTheHeaderChecksumChecked() throws Exception {
        byte[] data = "with a name, a comment, an extra field and a header CRC".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 4 | 8 | 16 | 2, 0, 0, 0, 0, 0, (byte) 0xff});
        header.writeBytes(new byte[] {3, 0, 'x', 'y', 'z'});
        header.writeBytes("name.json\0".getBytes(StandardCharsets.US_ASCII));
        header.writeBytes("a comment\0".getBytes(StandardCharsets.US_ASCII));
        CRC32 headerCrc = new CRC32();
        headerCrc.update(header.toByteArray());
        int hcrc = (int) headerCrc.getValue();
        header.writeBytes(new byte[] {(byte) hcrc, (byte) (hcrc >>> 8)});
        byte[] plain = Gzip.compress(data);
        byte[] gz = concat(header.toByteArray(), Arrays.copyOfRange(plain, 10, plain.length));
        assertThat(Gzip.decompress(gz, LIMIT)).isEqualTo(jdkGunzip(gz)).isEqualTo(data);
        byte[] badHeaderCrc = gz.clone();
        badHeaderCrc[header.size() - 1] ^= 1;
        assertThatThrownBy(() -> Gzip.decompress(badHeaderCrc, LIMIT)).isInstanceOf(ZipException.class);
        assertThatThrownBy(() -> jdkGunzip(badHeaderCrc)).isInstanceOf(ZipException.class);
    }

    @Test
    void corruptTruncatedAndForeignStreamsAreRefused() throws Exception {
        byte[] data = "some data to protect ".repeat(50).getBytes(StandardCharsets.US_ASCII);
        byte[] gz = Gzip.compress(data);
        byte[] badCrc = gz.clone();
        badCrc[gz.length - 8] ^= 1;
        assertThatThrownBy(() -> Gzip.decompress(badCrc, LIMIT)).isInstanceOf(ZipException.class).hasMessageContaining("CRC");
        byte[] badLength = gz.clone();
        badLength[gz.length - 4] ^= 1;
        assertThatThrownBy(() -> Gzip.decompress(badLength, LIMIT)).isInstanceOf(ZipException.class);
        byte[] badData = gz.clone();
        badData[12] ^= (byte) 0xff;
        assertThatThrownBy(() -> Gzip.decompress(badData, LIMIT)).isInstanceOf(IOException.class);
        for (int cut = 0; cut < gz.length; cut++) {
            byte[] part = Arrays.copyOf(gz, cut);
            assertThatThrownBy(() -> Gzip.decompress(part, LIMIT)).as("cut at %d", cut).isInstanceOf(IOException.class);
        }
        assertThatThrownBy(() -> Gzip.decompress(data, LIMIT)).isInstanceOf(ZipException.class)
                .hasMessageContaining("not in gzip format");
        byte[] stored = gz.clone();
        stored[2] = 7;
        assertThatThrownBy(() -> Gzip.decompress(stored, LIMIT)).isInstanceOf(ZipException.class);
    }

    @Test
    void dataLongerThanTheLimitIsRefusedWhateverLengthTheStreamClaims() throws Exception {
        byte[] data = new byte[100_000];
        byte[] gz = Gzip.compress(data);
        assertThat(Gzip.decompress(gz, 100_000)).isEqualTo(data);
        assertThatThrownBy(() -> Gzip.decompress(gz, 99_999)).isInstanceOf(Gzip.TooLarge.class);
        byte[] understated = gz.clone(); // a length field claiming 10 bytes: the array grows, the limit still holds
        understated[gz.length - 4] = 10;
        understated[gz.length - 3] = 0;
        understated[gz.length - 2] = 0;
        understated[gz.length - 1] = 0;
        assertThatThrownBy(() -> Gzip.decompress(understated, 99_999)).isInstanceOf(Gzip.TooLarge.class);
        assertThatThrownBy(() -> Gzip.decompress(understated, LIMIT)).isInstanceOf(ZipException.class);
        byte[] bomb = Gzip.compress(new byte[5_000_000]);
        assertThatThrownBy(() -> Gzip.decompress(bomb, LIMIT)).isInstanceOf(Gzip.TooLarge.class);
        Deflater unused = new Deflater(); // (the reused deflater of compress() is not disturbed by decompress())
        unused.end();
        assertThat(Gzip.decompress(Gzip.compress(data), LIMIT)).isEqualTo(data);
    }
}

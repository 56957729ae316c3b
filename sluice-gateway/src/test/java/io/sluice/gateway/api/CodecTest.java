package io.sluice.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.client.transport.Gzip;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Content negotiation, content coding and the percentile arithmetic of the control API. */
class CodecTest {

    @Test
    void acceptPicksTheMostPreferredSupportedTypeAndJsonOnATie() {
        assertThat(Codec.forAccept(null)).isEqualTo(Codec.JSON);
        assertThat(Codec.forAccept("*/*")).isEqualTo(Codec.JSON);
        assertThat(Codec.forAccept("application/msgpack")).isEqualTo(Codec.MSGPACK);
        assertThat(Codec.forAccept("application/x-msgpack, application/json;q=0.9")).isEqualTo(Codec.MSGPACK);
        assertThat(Codec.forAccept("application/json, application/msgpack")).isEqualTo(Codec.JSON);
        assertThat(Codec.forAccept("text/html, */*;q=0.1")).isEqualTo(Codec.JSON);
        assertThatThrownBy(() -> Codec.forAccept("application/json;q=0, text/html"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(406));
    }

    @Test
    void contentTypeIsJsonWhenAbsentAndRefusedWhenUnknown() {
        assertThat(Codec.forContentType(null)).isEqualTo(Codec.JSON);
        assertThat(Codec.forContentType("application/json; charset=utf-8")).isEqualTo(Codec.JSON);
        assertThat(Codec.forContentType("application/vnd.msgpack")).isEqualTo(Codec.MSGPACK);
        assertThatThrownBy(() -> Codec.forContentType("text/plain"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(415))
                .hasMessage("Content-Type text/plain is not supported (supported: application/json, application/msgpack)");
    }

    @Test
    void gzipWithTheReusedDeflaterRoundTripsAnyAnswer() throws Exception {
        java.util.Random random = new java.util.Random(3);
        for (int size : new int[] {0, 1, 1023, 30_000, 200_000}) {
            byte[] noise = new byte[size];          // incompressible: the output buffer has to grow
            random.nextBytes(noise);
            byte[] text = "{\"address\":\"127.0.0.1:8081\",\"weight\":100}".repeat(size / 40 + 1).getBytes();
            for (byte[] data : new byte[][] {noise, text}) {
                try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(Gzip.compress(data)))) {
                    assertThat(in.readAllBytes()).isEqualTo(data);
                }
            }
        }
    }

    @Test
    void gzipInflationIsBoundedAndOtherCodingsAreRefused() {
        byte[] big = new byte[ControlApi.MAX_BODY_BYTES + 1];
        byte[] zipped = Gzip.compress(big);
        assertThat(zipped.length).isLessThan(10_000);
        assertThatThrownBy(() -> ApiEndpoint.decode(zipped, "gzip"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(413));
        assertThat(ApiEndpoint.decode(Gzip.compress("{}".getBytes()), "GZIP")).isEqualTo("{}".getBytes());
        assertThatThrownBy(() -> ApiEndpoint.decode(new byte[] {1}, "zstd"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(415));
        assertThat(ApiEndpoint.acceptsGzip(List.of("br, gzip;q=0"))).isFalse();
        assertThat(ApiEndpoint.acceptsGzip(List.of("deflate, gzip"))).isTrue();
    }

    @Test
    void percentilesInterpolateInsideCumulativeBuckets() {
        TreeMap<Double, Double> cumulative = new TreeMap<>();
        cumulative.put(1.0, 50.0);
        cumulative.put(2.0, 90.0);
        cumulative.put(4.0, 100.0);
        assertThat(StatsResource.percentile(cumulative, 100, 0.50, 10)).isEqualTo(1.0);
        assertThat(StatsResource.percentile(cumulative, 100, 0.70, 10)).isEqualTo(1.5);
        assertThat(StatsResource.percentile(cumulative, 100, 0.99, 3.5)).isEqualTo(3.5); // capped at the max seen
    }

    @Test
    void pathSegmentsArePercentDecodedAndPlusStaysPlus() {
        assertThat(ApiRouter.decode("%5B%3A%3A1%5D%3A80")).isEqualTo("[::1]:80");
        assertThat(ApiRouter.decode("a+b%20c")).isEqualTo("a+b c");
    }
}

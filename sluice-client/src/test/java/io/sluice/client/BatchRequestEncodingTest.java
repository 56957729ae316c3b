package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.client.internal.BatchWire;
import io.sluice.client.internal.Codec;
import io.sluice.client.model.BackendSpec;
import io.sluice.client.model.JobSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The /batch request written token by token is the document the operation records used to serialize to. */
class BatchRequestEncodingTest {

    /** What the SDK sent before: one record per operation, through the mapper (null bodies left out). */
    record Operation(String method, String path, Object body) {}

    record Request(List<Operation> operations) {}

    private final Codec codec = new Codec();

    @ParameterizedTest
    @EnumSource(Format.class)
    void streamedBatchRequestIsByteForByteTheRecordEncoding(Format format) {
        List<Call<?>> calls = List.of(Calls.backend("api", "127.0.0.1:8081"), Calls.setWeight("api", "b:2", 50),
                Calls.addBackend("api", BackendSpec.of("10.0.0.9", 80).withWeight(7)), Calls.drain("api", "c:3"),
                Calls.createJob(JobSpec.fetch("http://x/y", "/tmp/y").withWorkers(4)), Calls.routes(),
                Calls.route("ü b"));
        byte[] streamed = codec.encode(g -> BatchWire.writeRequest(g, calls), format);
        byte[] records = codec.encode(new Request(calls.stream()
                .map(c -> new Operation(c.method(), c.path(), c.body())).toList()), format);
        assertThat(streamed).isEqualTo(records);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void anEmptyBatchIsAnEmptyOperationList(Format format) {
        assertThat(codec.encode(g -> BatchWire.writeRequest(g, List.of()), format))
                .isEqualTo(codec.encode(new Request(List.of()), format));
    }

    @Test
    void pathSegmentsNeedingNoEncodingAreUsedAsTheyAre() {
        String address = "127.0.0.1:8081";
        assertThat(Calls.segment(address)).isSameAs(address);
        assertThat(Calls.segment("a-b_c.d~e!$&'()*+,;=@")).isEqualTo("a-b_c.d~e!$&'()*+,;=@");
        assertThat(Calls.segment("[::1]:80")).isEqualTo("%5B::1%5D:80");
        assertThat(Calls.segment("a b/c%d")).isEqualTo("a%20b%2Fc%25d");
        assertThat(Calls.segment("ü")).isEqualTo("%C3%BC");
    }
}

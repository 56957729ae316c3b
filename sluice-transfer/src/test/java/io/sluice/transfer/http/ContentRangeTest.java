package io.sluice.transfer.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.transfer.plan.ByteRange;
import org.junit.jupiter.api.Test;

class ContentRangeTest {

    @Test
    void matchesOnlyTheExactRequestedRangeAndTotal() {
        ContentRange cr = ContentRange.parse("bytes 10-19/100");
        assertThat(cr.matches(new ByteRange(10, 20), 100)).isTrue();
        assertThat(cr.matches(new ByteRange(10, 21), 100)).isFalse();
        assertThat(cr.matches(new ByteRange(10, 20), 101)).isFalse();
    }

    @Test
    void rejectsMalformedAndUnknownTotals() {
        assertThat(ContentRange.parse("bytes 10-19/*")).isNull();
        assertThat(ContentRange.parse("bytes 19-10/100")).isNull();
        assertThat(ContentRange.parse("items 1-2/3")).isNull();
        assertThat(ContentRange.parse(null)).isNull();
    }

    @Test
    void retryAfterReadsSecondsAndCapsLongWaits() {
        assertThat(RetryAfter.nanos("2", 0)).isEqualTo(2_000_000_000L);
        assertThat(RetryAfter.nanos("999999", 0)).isEqualTo(RetryAfter.CAP.toNanos());
        assertThat(RetryAfter.nanos("soon", 0)).isEqualTo(-1);
    }
}

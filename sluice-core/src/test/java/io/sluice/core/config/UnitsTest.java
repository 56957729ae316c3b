package io.sluice.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {

    @ParameterizedTest
    @CsvSource({"250ms, 250", "30s, 30000", "5m, 300000", "1h, 3600000", "1d, 86400000", "30, 30000",
        "2H, 7200000", "10 s, 10000", "0s, 0"})
    void readsDurations(String text, long millis) {
        assertThat(Units.parseDuration(text)).contains(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "1.5s", "5 parsecs", "1w", "ms30"})
    void refusesWhatIsNotADuration(String text) {
        assertThat(Units.parseDuration(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"512, 512", "512B, 512", "8KiB, 8192", "8kib, 8192", "8Ki, 8192", "64KiB, 65536",
        "1MiB, 1048576", "1GiB, 1073741824", "8KB, 8000", "8k, 8000", "1MB, 1000000", "1GB, 1000000000"})
    void readsSizes(String text, long bytes) {
        assertThat(Units.parseSize(text)).hasValue(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "KiB", "1.5MiB", "8 bits", "1TB", "8iB"})
    void refusesWhatIsNotASize(String text) {
        assertThat(Units.parseSize(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999s", "9999999999999999d"})
    void saturatesHugeDurationsSoTheyFailTheRangeCheck(String text) {
        assertThat(Units.parseDuration(text)).contains(Duration.ofSeconds(Long.MAX_VALUE));
    }

    @ParameterizedTest
    @CsvSource({"8192, 8KiB", "65536, 64KiB", "16777216, 16MiB", "256, 256B", "8000, 8000B", "0, 0B"})
    void formatsSizesInTheLargestExactUnit(long bytes, String text) {
        assertThat(Units.formatSize(bytes)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"0, 0s", "250, 250ms", "75000, 75s", "600000, 10m", "86400000, 24h"})
    void formatsDurationsInTheLargestExactUnitUpToHours(long millis, String text) {
        assertThat(Units.formatDuration(Duration.ofMillis(millis))).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "100Mbps, 100000000", "1Gbps, 1000000000", "500kbps, 500000", "1500bps, 1500",
        "10MB/s, 80000000", "1MiB/s, 8388608", "512 KiB / s, 4194304", "2gbps, 2000000000"})
    void readsBandwidthsInBitsPerSecond(String text, long bitsPerSecond) {
        assertThat(Units.parseBitsPerSecond(text)).hasValue(bitsPerSecond);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "100", "100M", "10Mb/s", "1.5Gbps", "fast", "Mbps"})
    void refusesWhatIsNotABandwidthIncludingBareNumbersAndLowerCaseBytes(String text) {
        assertThat(Units.parseBitsPerSecond(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "200000000, 200Mbps", "1500000, 1500kbps", "1000000000, 1Gbps", "1234, 1234bps"})
    void formatsBandwidthsInTheLargestExactUnit(long bitsPerSecond, String text) {
        assertThat(Units.formatBitsPerSecond(bitsPerSecond)).isEqualTo(text);
    }
}

package io.sluice.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LimitBurstTest {

    @Test
    void defaultBurstIsAQuarterSecondAtTheRate() {
        assertThat(LimitBurst.forRate(320_000_000L)).isEqualTo(10_000_000L);
        assertThat(LimitBurst.forRate(1_000_000_000L)).isEqualTo(31_250_000L);
    }

    @Test
    void slowAndUnlimitedRatesKeepTheOneMegabyteFloor() {
        assertThat(LimitBurst.forRate(8_000_000L)).isEqualTo(LimitBurst.MIN_BYTES);
        assertThat(LimitBurst.forRate(0)).isEqualTo(LimitBurst.MIN_BYTES);
    }

    @Test
    void veryHighRatesStopAtOneGibibyte() {
        assertThat(LimitBurst.forRate(1_000_000_000_000L)).isEqualTo(1L << 30);
    }
}

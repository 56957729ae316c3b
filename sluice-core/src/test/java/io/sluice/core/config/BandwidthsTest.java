package io.sluice.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** Command-line bandwidth options ({@code sluice fetch --limit}) follow the configuration file's rules. */
class BandwidthsTest {

    @Test
    void ratesAreBitsPerSecondAsInTheConfigFile() {
        assertThat(Bandwidths.parseBitsPerSecond("--limit", "100Mbps")).isEqualTo(100_000_000);
        assertThat(Bandwidths.parseBitsPerSecond("--limit", "10MB/s")).isEqualTo(80_000_000);
        assertThat(Bandwidths.parseBitsPerSecond("--limit", "5MiB/s")).isEqualTo(5L * 8 << 20);
        assertThat(Bandwidths.parseBitsPerSecond("--limit", "0")).isZero();
        assertThatThrownBy(() -> Bandwidths.parseBitsPerSecond("--limit", "fast"))
                .hasMessageStartingWith("--limit: fast (expected: a bandwidth such as 0, 500kbps, 100Mbps");
        assertThatThrownBy(() -> Bandwidths.parseBitsPerSecond("--limit", "10bps"))
                .hasMessage("--limit: 10bps (expected: 0 for unlimited or 1kbps..1Tbps)");
    }

    @Test
    void burstIsASizeBetweenOneKibAndOneGib() {
        assertThat(Bandwidths.parseBurst("--limit-burst", "4MB")).isEqualTo(4_000_000);
        assertThatThrownBy(() -> Bandwidths.parseBurst("--limit-burst", "10"))
                .hasMessage("--limit-burst: 10 (expected: 1KiB..1GiB)");
    }

    @Test
    void profilesNameDaysAWindowAndARate() {
        BandwidthProfile p = Bandwidths.parseProfile("--limit-profile", "mon-fri 09:00-18:00=200Mbps");
        assertThat(p.days()).isEqualTo(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
        assertThat(p.from()).isEqualTo(LocalTime.of(9, 0));
        assertThat(p.to()).isEqualTo(LocalTime.of(18, 0));
        assertThat(p.bitsPerSecond()).isEqualTo(200_000_000);
        assertThat(Bandwidths.parseProfile("--limit-profile", "22:00-06:00=0").days()).hasSize(7);
        assertThatThrownBy(() -> Bandwidths.parseProfile("--limit-profile", "workdays 09:00-18:00=1Mbps"))
                .hasMessageContaining("expected: days such as mon-fri");
        assertThatThrownBy(() -> Bandwidths.parseProfile("--limit-profile", "9am-5pm=1Mbps"))
                .hasMessageContaining("expected: times of day as HH:MM, got 9am");
        assertThatThrownBy(() -> Bandwidths.parseProfile("--limit-profile", "09:00-18:00"))
                .hasMessageStartingWith("--limit-profile: 09:00-18:00 (expected: [DAYS ]HH:MM-HH:MM=RATE");
    }
}

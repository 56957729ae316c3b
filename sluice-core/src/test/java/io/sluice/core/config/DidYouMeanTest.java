package io.sluice.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DidYouMeanTest {

    private static final List<String> POOL = List.of(
            "min_idle", "max_connections", "idle_timeout", "max_lifetime", "health_check", "wait_timeout");

    @Test
    void suggestsWithinTwoEdits() {
        assertThat(DidYouMean.nearest("min_idel", POOL)).contains("min_idle");
        assertThat(DidYouMean.nearest("helth_chek", POOL)).contains("health_check");
    }

    @Test
    void suggestsWhenTheTypedKeyIsAPrefixOrExtension() {
        assertThat(DidYouMean.nearest("max_conn", POOL)).contains("max_connections");
        assertThat(DidYouMean.nearest("wait_timeout_ms", POOL)).contains("wait_timeout");
    }

    @Test
    void prefersTheCloserSpelling() {
        assertThat(DidYouMean.nearest("idle_timeouts", POOL)).contains("idle_timeout");
    }

    @Test
    void staysQuietWhenNothingIsClose() {
        assertThat(DidYouMean.nearest("colour", POOL)).isEmpty();
        assertThat(DidYouMean.nearest("m", POOL)).isEmpty();
    }

    @Test
    void computesLevenshteinDistance() {
        assertThat(DidYouMean.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(DidYouMean.distance("", "abc")).isEqualTo(3);
        assertThat(DidYouMean.distance("same", "same")).isZero();
    }
}

package io.sluice.core.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HealthStateMachineTest {

    @Test
    void startsHealthySoAFreshGatewayRoutes() {
        assertThat(new HealthStateMachine(3, 2).isHealthy()).isTrue();
    }

    @Test
    void fallsAfterUnhealthyThresholdAndRisesAfterHealthyThreshold() {
        HealthStateMachine s = new HealthStateMachine(3, 2);
        assertThat(s.record(false)).isFalse();
        assertThat(s.record(false)).isFalse();
        assertThat(s.record(false)).isTrue();
        assertThat(s.isHealthy()).isFalse();
        assertThat(s.record(true)).isFalse();
        assertThat(s.record(true)).isTrue();
        assertThat(s.isHealthy()).isTrue();
    }

    @Test
    void aResultOfTheOtherKindRestartsTheStreak() {
        HealthStateMachine s = new HealthStateMachine(3, 2);
        s.record(false);
        s.record(false);
        s.record(true);
        s.record(false);
        s.record(false);
        assertThat(s.isHealthy()).isTrue();
    }
}

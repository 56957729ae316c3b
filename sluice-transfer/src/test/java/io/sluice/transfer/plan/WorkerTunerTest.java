package io.sluice.transfer.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code --workers auto} doubles while throughput improves and settles at the first step that does not help. */
class WorkerTunerTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void doublesWhileThroughputImprovesAndSettlesWhenItStops() {
        WorkerTuner tuner = new WorkerTuner(16);
        assertThat(tuner.next(10, 0, 2)).as("baseline window").isZero();
        assertThat(tuner.next(110, SECOND, 2)).isEqualTo(2);       // 100 B/s: a first rate, grow to 4
        assertThat(tuner.next(300, 2 * SECOND, 4)).isEqualTo(4);   // 190 B/s: +90 %, grow to 8
        assertThat(tuner.next(510, 3 * SECOND, 8)).isZero();       // 210 B/s: +10 %, not enough
        assertThat(tuner.settled()).isTrue();
        assertThat(tuner.next(2_000, 4 * SECOND, 8)).as("settled for good").isZero();
    }

    @Test
    void windowsWithoutDataDecideNothing() {
        WorkerTuner tuner = new WorkerTuner(16);
        assertThat(tuner.next(0, 0, 2)).isZero();
        assertThat(tuner.next(0, SECOND, 2)).as("still connecting").isZero();
        assertThat(tuner.next(0, 2 * SECOND, 2)).isZero();
        assertThat(tuner.settled()).isFalse();
        assertThat(tuner.next(50, 3 * SECOND, 2)).as("first bytes: the baseline").isZero();
        assertThat(tuner.next(150, 4 * SECOND, 2)).isEqualTo(2);
        assertThat(tuner.next(150, 5 * SECOND, 4)).as("a stall").isZero();
        assertThat(tuner.settled()).isFalse();
    }

    @Test
    void neverExceedsTheMaximum() {
        WorkerTuner tuner = new WorkerTuner(16);
        tuner.next(1, 0, 2);
        long bytes = 1;
        int workers = 2;
        for (int window = 1; window <= 10; window++) {
            bytes += 1_000L * workers; // throughput proportional to workers: always worth growing
            workers += tuner.next(bytes, window * SECOND, workers);
            assertThat(workers).isLessThanOrEqualTo(16);
        }
        assertThat(workers).isEqualTo(16);
    }

    @Test
    void noGainFromTheFirstStepKeepsFourWorkers() {
        WorkerTuner tuner = new WorkerTuner(16);
        tuner.next(1, 0, 2);
        assertThat(tuner.next(1_001, SECOND, 2)).isEqualTo(2);
        assertThat(tuner.next(2_051, 2 * SECOND, 4)).isZero(); // a throttled or saturated link: +5 %
        assertThat(tuner.settled()).isTrue();
    }
}

package io.sluice.transfer.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

    @Test
    void handsOutChunksThenStealsTheSecondHalfOfTheLargestRemainder() {
        WorkQueue q = new WorkQueue(List.of(new ByteRange(0, 100)), 60, 10);
        Segment first = q.next();
        Segment second = q.next();
        assertThat(first.range()).isEqualTo(new ByteRange(0, 60));
        assertThat(second.range()).isEqualTo(new ByteRange(60, 100));
        first.claim(20);
        second.claim(10);

        Segment stolen = q.next();

        assertThat(stolen.range()).isEqualTo(new ByteRange(40, 60));
        assertThat(first.end()).isEqualTo(40);
        assertThat(first.claim(100)).isEqualTo(20);
        assertThat(q.steals()).isEqualTo(1);
    }

    @Test
    void neverStealsBelowTwiceTheMinimumPiece() {
        WorkQueue q = new WorkQueue(List.of(new ByteRange(0, 15)), 60, 10);
        q.next();
        assertThat(q.next()).isNull();
    }

    @Test
    void givenBackRemainderIsHandedOutAgain() {
        WorkQueue q = new WorkQueue(List.of(new ByteRange(0, 50)), 60, 0);
        Segment s = q.next();
        s.claim(30);
        q.giveBack(s);
        assertThat(q.next().range()).isEqualTo(new ByteRange(30, 50));
    }
}

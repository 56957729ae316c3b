package io.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The extension that fails every test class on a leak really sees leaks (a test that could not fail proves nothing). */
class LeakDetectionExtensionTest {

    @Test
    void reportsABufferThatWasNeverReleased() throws InterruptedException {
        leakOneBuffer();
        LeakDetectionExtension.provokeLeakReports();
        assertThat(LeakDetectionExtension.reportedLeaks()).isNotEmpty()
                .anySatisfy(leak -> assertThat(leak).contains("LEAK"));
        // The leak above is deliberate: do not let it fail this class.
        LeakDetectionExtension.forgetReportedLeaks();
    }

    private static void leakOneBuffer() {
        ByteBufAllocator.DEFAULT.directBuffer(64).writeLong(42);
    }
}

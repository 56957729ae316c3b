package io.sluice.testing;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reports a leaked buffer while it ran.
 *
 * <p>Registered for every test through JUnit's extension auto-detection (see this module's
 * {@code junit-platform.properties}), so no test can forget it. Netty only reports a leak when the
 * garbage collector has collected the leaked object and a later allocation polls the reference
 * queue; {@link #afterAll} therefore forces a few collections and allocations before it checks.
 */
public final class LeakDetectionExtension implements BeforeAllCallback, AfterAllCallback {

    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

    static {
        // Must run before the buffer classes create their detectors; JUnit loads extensions first.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        LEAKS.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        provokeLeakReports();
        List<String> leaks = new ArrayList<>(LEAKS);
        LEAKS.clear();
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty reported " + leaks.size() + " leak(s) during "
                    + context.getDisplayName() + ":\n" + String.join("\n---\n", leaks));
        }
    }

    /** Leaks reported so far in this test class; lets a test assert on them directly. */
    public static List<String> reportedLeaks() {
        return List.copyOf(LEAKS);
    }

    /** Forgets reported leaks: only for a test that leaks on purpose to prove detection works. */
    public static void forgetReportedLeaks() {
        LEAKS.clear();
    }

    /** Collects garbage and allocates until Netty has polled its reference queues; see the class comment. */
    public static void provokeLeakReports() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
            ByteBufAllocator[] allocators = {
                PooledByteBufAllocator.DEFAULT, UnpooledByteBufAllocator.DEFAULT, ByteBufAllocator.DEFAULT
            };
            for (ByteBufAllocator allocator : allocators) {
                allocator.buffer(1).release();
                allocator.directBuffer(1).release();
            }
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(
                Class<T> resource, int samplingInterval, long maxActive) {
            return new ResourceLeakDetector<>(resource, samplingInterval, maxActive) {
                @Override
                protected void reportTracedLeak(String resourceType, String records) {
                    LEAKS.add("LEAK: " + resourceType + records);
                    super.reportTracedLeak(resourceType, records);
                }

                @Override
                protected void reportUntracedLeak(String resourceType) {
                    LEAKS.add("LEAK (untraced): " + resourceType);
                    super.reportUntracedLeak(resourceType);
                }
            };
        }
    }
}

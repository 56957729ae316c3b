package io.sluice.cli;

import io.sluice.gateway.Gateway;
import java.util.concurrent.CountDownLatch;

/** Keeps a started gateway running until the JVM is asked to stop, then drains it. */
final class Serving {

    private Serving() {}

    static int runUntilSignalled(Gateway gateway, Runnable afterClose) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                gateway.close();
                afterClose.run();
            } finally {
                stopped.countDown();
            }
        }, "sluice-shutdown"));
        stopped.await();
        return 0;
    }
}

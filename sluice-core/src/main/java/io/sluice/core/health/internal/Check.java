package io.sluice.core.health.internal;

import java.util.concurrent.CompletableFuture;

/** One kind of probe. Network checks complete on an event loop; the custom one completes before returning. */
public interface Check {

    /** Never throws and never completes exceptionally: every problem is a failed {@link CheckResult}. */
    CompletableFuture<CheckResult> run(CheckTarget target);
}

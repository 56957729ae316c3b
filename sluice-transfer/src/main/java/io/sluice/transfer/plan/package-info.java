/**
 * What to fetch next: {@link io.sluice.transfer.plan.WorkQueue} hands out the missing ranges of a
 * file in chunks and splits in-flight {@link io.sluice.transfer.plan.Segment}s for idle workers (work
 * stealing); {@link io.sluice.transfer.plan.ChunkSizer} is the chunk-size rule.
 */
package io.sluice.transfer.plan;

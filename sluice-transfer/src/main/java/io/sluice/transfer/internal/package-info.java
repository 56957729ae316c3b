/** Implementation of a job's data path: the part file, the per-range and single-stream fetchers, shared job state. */
package io.sluice.transfer.internal;

/** The {@code sluice bench} command ({@link io.sluice.bench.BenchCommand}); the generator is in {@code load}. */
package io.sluice.bench;

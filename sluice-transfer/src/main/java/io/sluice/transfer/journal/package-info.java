/**
 * The resume journal: {@link io.sluice.transfer.journal.Journal} (URL, size, validator, chunk size,
 * completed ranges with CRC32C, a self-check) and {@link io.sluice.transfer.journal.JournalStore},
 * which replaces it atomically. Format: docs/TRANSFER.md.
 */
package io.sluice.transfer.journal;

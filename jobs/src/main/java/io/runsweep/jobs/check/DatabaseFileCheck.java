package io.runsweep.jobs.check;

import java.nio.file.Path;

/**
 * A SQLite database file. In WAL mode recent writes live in the {@code -wal} file until a checkpoint copies
 * them in, so {@code fileBytes} may be less than {@code pageCount * pageSize}.
 *
 * @param freePages pages that deleted rows left empty: only VACUUM gives them back to the file system
 * @param walBytes the write-ahead log beside the file; 0 when there is none
 */
public record DatabaseFileCheck(Path file, long fileBytes, long pageSize, long pageCount, long freePages,
    long walBytes) {}

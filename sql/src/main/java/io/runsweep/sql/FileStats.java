package io.runsweep.sql;

import java.nio.file.Path;

/**
 * A database file (SQLite): how big it is and how much of it is free. Deleted rows leave free pages that
 * only VACUUM gives back, so the file never shrinks on its own. In WAL mode recent writes live in the
 * {@code -wal} file until a checkpoint copies them in, so {@code fileBytes} may be less than
 * {@code pageCount * pageSize}.
 *
 * @param fileBytes the main database file's size on disk
 * @param walBytes the write-ahead log's size on disk; 0 when there is none
 * @param pageSize {@code PRAGMA page_size}
 * @param pageCount {@code PRAGMA page_count}: pages in the database, free ones included
 * @param freePages {@code PRAGMA freelist_count}: pages that deleted rows left empty, kept for reuse
 * @param autoVacuum {@code PRAGMA auto_vacuum}: 0 none, 1 full, 2 incremental
 */
public record FileStats(
        Path file, long fileBytes, long walBytes, long pageSize, long pageCount, long freePages, int autoVacuum) {

    public static final int AUTO_VACUUM_INCREMENTAL = 2;

    public long freeBytes() {
        return freePages * pageSize;
    }
}

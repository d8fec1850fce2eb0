package io.runsweep.sql;

/**
 * Batches that take the matching rows in order of their time column, each one the times from where the last one
 * ended up to where the next {@code <batch size>} rows end. Batches that take any {@code <batch size>} matching
 * rows (see {@link Dialect#deleteBatch}) find them again among the rows earlier batches deleted: on PostgreSQL
 * every batch's bitmap scan visits the pages of all of them again (and prunes them), so the last batches of a run
 * read several times the pages they delete from. Here each batch's scan starts where the last one ended.
 *
 * @param end finds the time of the row after the next {@code <batch size>}, as ISO 8601 text (PostgreSQL: in UTC,
 *     whatever the session's TimeZone); no row when fewer are left.
 *     Its plan reads the time column's index in order (never a sort of every matching row).
 * @param delete deletes the matching rows whose time is at least where the last batch ended and less than where
 *     this one ends ({@code infinity} for the last batch)
 * @param first where the first batch starts: before every time ({@code -infinity})
 * @param last where the last batch ends: after every time ({@code infinity})
 */
public record KeysetBatch(Sql end, Sql delete, String first, String last) {}

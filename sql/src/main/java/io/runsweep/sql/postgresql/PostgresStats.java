package io.runsweep.sql.postgresql;

import io.runsweep.sql.Column;
import io.runsweep.sql.FileStats;
import io.runsweep.sql.Queries;
import io.runsweep.sql.Stats;
import io.runsweep.sql.TableName;
import io.runsweep.sql.TableStats;
import io.runsweep.sql.TimeForm;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * PostgreSQL: sizes from the size functions; rows counted below {@link PostgresDialect#EXACT_BELOW}, above it the
 * statistics' running estimate; dead rows and upkeep from pg_stat_user_tables.
 */
public final class PostgresStats implements Stats {

    // pg_table_size counts the heap's forks and the whole TOAST table; the TOAST part is split out so that
    // table + indexes + toast adds up to pg_total_relation_size.
    private static final String BYTES = """
      SELECT pg_total_relation_size(c.oid), pg_table_size(c.oid), pg_indexes_size(c.oid),
             CASE WHEN c.reltoastrelid = 0 THEN 0 ELSE pg_total_relation_size(c.reltoastrelid) END,
             c.reltuples::bigint
      FROM pg_class c WHERE c.oid = to_regclass(?)""";

    private static final String UPKEEP = """
      SELECT n_live_tup, n_dead_tup, last_vacuum, last_autovacuum, last_analyze, last_autoanalyze
      FROM pg_stat_user_tables WHERE relid = to_regclass(?)""";

    @Override
    public TableStats table(Connection connection, TableName table, boolean countRows) throws SQLException {
        // Within a transaction the server would answer with the statistics it cached at the first read.
        Queries.single(connection, "SELECT pg_stat_clear_snapshot()");
        // Statistics first: a count reads every page, and PostgreSQL may prune dead rows from pages it reads.
        Optional<TableStats.Upkeep> upkeep = upkeep(connection, table);
        try (PreparedStatement s = connection.prepareStatement(BYTES)) {
            s.setString(1, table.quoted());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("table " + table.quoted() + " does not exist", "42P01");
                }
                long toast = rs.getLong(4);
                OptionalLong estimate = countRows ? OptionalLong.empty() : estimatedRows(rs.getLong(5), upkeep);
                boolean count = estimate.isEmpty() || estimate.getAsLong() < PostgresDialect.EXACT_BELOW;
                OptionalLong rows = count ? OptionalLong.of(exactRows(connection, table)) : estimate;
                return new TableStats(rs.getLong(1), rs.getLong(2) - toast, rs.getLong(3), toast, rows, count, upkeep);
            }
        }
    }

    /**
     * The statistics' running count of live rows, which follows every committed insert and delete within
     * seconds; the catalog's reltuples, as of the last VACUUM or ANALYZE, where the statistics count no row,
     * live or dead (they were reset, or never saw the table written). Empty where neither knows: reltuples is
     * -1 until the table is first vacuumed or analyzed.
     */
    private static OptionalLong estimatedRows(long reltuples, Optional<TableStats.Upkeep> upkeep) {
        if (upkeep.isPresent() && upkeep.get().liveRows() + upkeep.get().deadRows() > 0) {
            return OptionalLong.of(upkeep.get().liveRows());
        }
        return reltuples < 0 ? OptionalLong.empty() : OptionalLong.of(reltuples);
    }

    private static Optional<TableStats.Upkeep> upkeep(Connection connection, TableName table) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(UPKEEP)) {
            s.setString(1, table.quoted());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new TableStats.Upkeep(
                        rs.getLong(1), rs.getLong(2), instant(rs, 3), instant(rs, 4), instant(rs, 5), instant(rs, 6)));
            }
        }
    }

    private static Optional<Instant> instant(ResultSet rs, int index) throws SQLException {
        return Optional.ofNullable(rs.getObject(index, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }

    @Override
    public Optional<FileStats> file(Connection connection, Path path) {
        return Optional.empty();
    }

    /** A timestamp without time zone is taken to hold UTC, as the cutoffs are (see PostgresDialect). */
    @Override
    public Optional<Instant> time(ResultSet rs, int index, Column column) throws SQLException {
        return switch (column.category()) {
            case TIMESTAMP_TZ -> instant(rs, index);
            case TIMESTAMP ->
                Optional.ofNullable(rs.getObject(index, LocalDateTime.class)).map(t -> t.toInstant(ZoneOffset.UTC));
            case DATE ->
                Optional.ofNullable(rs.getObject(index, LocalDate.class))
                        .map(d -> d.atStartOfDay().toInstant(ZoneOffset.UTC));
            case INTEGER, TEXT -> Optional.ofNullable(rs.getObject(index)).map(TimeForm::read);
            default ->
                throw new IllegalArgumentException(
                        "column \"" + column.name() + "\" is of type " + column.typeName() + ", not a timestamp");
        };
    }

    /** Epoch numbers and text hold several forms that do not sort by time among each other. */
    @Override
    public List<String> minimums(Column time, String age) {
        return switch (time.category()) {
            case INTEGER, TEXT -> PostgresTimeForms.minimums(time.category(), age);
            default -> Stats.super.minimums(time, age);
        };
    }
}

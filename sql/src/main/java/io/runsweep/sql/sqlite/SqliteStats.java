package io.runsweep.sql.sqlite;

import io.runsweep.sql.Column;
import io.runsweep.sql.FileStats;
import io.runsweep.sql.Stats;
import io.runsweep.sql.TableName;
import io.runsweep.sql.TableStats;
import io.runsweep.sql.TimeForm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** SQLite: sizes from the dbstat table, rows counted, pages from pragmas. */
public final class SqliteStats implements Stats {

    private static final String INDEXES = "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ?";

    // One b-tree at a time, so that dbstat reads only that b-tree's pages.
    private static final String BTREE_BYTES =
            "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = ? AND aggregate = TRUE";

    /**
     * Rows are always counted. sqlite_stat1 keeps the count of the last ANALYZE, which no DELETE updates and
     * PRAGMA optimize does not always refresh; and dbstat, for the sizes, already reads every page of the
     * table and its indexes, so a count(*), which reads one b-tree, costs less than what is measured anyway.
     */
    @Override
    public TableStats table(Connection connection, TableName table, boolean countRows) throws SQLException {
        long own = btreeBytes(connection, table.name());
        long indexes = 0;
        for (String index : indexes(connection, table)) {
            indexes += btreeBytes(connection, index);
        }
        OptionalLong rows = OptionalLong.of(exactRows(connection, table));
        return new TableStats(own + indexes, own, indexes, 0, rows, true, Optional.empty());
    }

    private static List<String> indexes(Connection connection, TableName table) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(INDEXES)) {
            s.setString(1, table.name());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    private static long btreeBytes(Connection connection, String name) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(BTREE_BYTES)) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public Optional<FileStats> file(Connection connection, Path path) throws SQLException {
        return Optional.of(new FileStats(
                path,
                size(path),
                size(Path.of(path + "-wal")),
                SqlitePragmas.pragma(connection, "page_size"),
                SqlitePragmas.pragma(connection, "page_count"),
                SqlitePragmas.pragma(connection, "freelist_count"),
                (int) SqlitePragmas.pragma(connection, "auto_vacuum")));
    }

    /** 0 for a file that does not exist (a WAL after a checkpoint that truncated it, say). */
    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Instant> time(ResultSet rs, int index, Column column) throws SQLException {
        Object stored = rs.getObject(index);
        return stored == null ? Optional.empty() : Optional.of(TimeForm.read(stored));
    }

    @Override
    public List<String> minimums(Column time, String age) {
        return SqliteTimeForms.minimums(age);
    }
}

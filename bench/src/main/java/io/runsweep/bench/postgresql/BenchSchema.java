package io.runsweep.bench.postgresql;

import io.runsweep.bench.measure.BenchException;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.SqlParam.BatchValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The bench's own schema, {@value PostgresBenchSql#SCHEMA}, the only place it writes on a server: created with its
 * mark, and dropped at the end. A schema of that name without the mark is never touched.
 */
public final class BenchSchema {
    private BenchSchema() {}

    /** Creates the schema; one left by an interrupted bench (it has the mark) is dropped first. */
    public static void create(Connection connection, Consumer<String> progress) throws SQLException {
        Optional<String> marker = marker(connection);
        if (marker.isPresent() && !marker.get().equals(PostgresBenchSql.MARKER)) {
            throw new BenchException("schema \"" + PostgresBenchSql.SCHEMA + "\" already exists in this database and"
                    + " was not created by runsweep bench, which touches nothing it did not create; drop or rename it, or"
                    + " give --url another database");
        }
        if (marker.isPresent()) {
            progress.accept("dropping schema " + PostgresBenchSql.SCHEMA + ", left by an interrupted bench");
            execute(connection, PostgresBenchSql.dropSchema());
        }
        for (String statement : PostgresBenchSql.createSchema()) {
            execute(connection, statement);
        }
    }

    public static void drop(Connection connection) throws SQLException {
        execute(connection, PostgresBenchSql.dropSchema());
    }

    /**
     * {@code url} with the bench's schema first on the search path, so that unqualified names (a preset's tables)
     * are created and found there; and with pgjdbc's multi-row inserts, for seeding.
     */
    public static DatabaseUrl inSchema(DatabaseUrl url) {
        String jdbc = url.jdbcUrl() + (url.jdbcUrl().contains("?") ? "&" : "?") + "currentSchema="
                + PostgresBenchSql.SCHEMA + "&reWriteBatchedInserts=true";
        return new DatabaseUrl(url.kind(), jdbc, url.user(), url.password());
    }

    private static Optional<String> marker(Connection connection) throws SQLException {
        try (PreparedStatement s = PostgresBenchSql.schemaMarker().prepare(connection, BatchValues.NONE);
                ResultSet rs = s.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }
}

package io.runsweep.bench.measure;

import io.runsweep.sql.Sql;
import io.runsweep.sql.SqlParam.BatchValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.Consumer;

/** Inserts a data set in chunks of a tenth, each its own statement, telling the user how far it got. */
public final class Seeding {
    private static final long SMALLEST_CHUNK = 10_000;

    /** Builds the statement inserting rows {@code first} to {@code last} inclusive. */
    @FunctionalInterface
    public interface Chunk {
        Sql rows(long first, long last, RowTimes times);
    }

    private Seeding() {}

    public static void insert(
            Connection connection, RowTimes times, Chunk chunk, String what, Consumer<String> progress)
            throws SQLException {
        long rows = times.rows();
        long size = Math.max(SMALLEST_CHUNK, (rows + 9) / 10);
        for (long first = 0; first < rows; first += size) {
            long last = Math.min(first + size, rows) - 1;
            try (PreparedStatement s = chunk.rows(first, last, times).prepare(connection, BatchValues.NONE)) {
                s.executeUpdate();
            }
            progress.accept(what + ": " + BenchFormat.count(last + 1) + " of " + BenchFormat.count(rows) + " rows");
        }
    }
}

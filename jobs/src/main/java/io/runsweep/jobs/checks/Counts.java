package io.runsweep.jobs.checks;

import io.runsweep.sql.Sql;
import io.runsweep.sql.SqlParam.BatchValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Runs a planned {@code SELECT count(*)}. */
final class Counts {
    private Counts() {}

    static long of(Connection connection, Sql count) throws SQLException {
        try (PreparedStatement s = count.prepare(connection, BatchValues.NONE);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

package io.runsweep.sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** One value read by a statement, statement and result both closed. */
public final class Queries {
    private Queries() {}

    public static String single(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Runs a planned {@code SELECT count(*)} and returns the count. */
    public static long count(Connection connection, Sql count) throws SQLException {
        try (java.sql.PreparedStatement s = count.prepare(connection, SqlParam.BatchValues.NONE);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

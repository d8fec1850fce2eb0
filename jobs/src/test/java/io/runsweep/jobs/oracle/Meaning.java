package io.runsweep.jobs.oracle;

import io.runsweep.config.PolicySettings;
import io.runsweep.config.PolicySettings.StatusFilter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * What a policy means, in plain SQL written here and nowhere in the engine: the rows of {@code p} whose time (by
 * the instants the test wrote them from, kept in {@code truth}) lies before the cutoff, or whose time is NULL and
 * whose fallback does; whose status is one of the listed; whose where-null columns are NULL; that no
 * unreferenced-by row refers to. They go with one DELETE, their dependents with another, and the database's own
 * foreign keys do the rest.
 */
final class Meaning {
    private final Case c;
    private final String prefix;

    Meaning(Case c, String prefix) {
        this.c = c;
        this.prefix = prefix;
    }

    /** The keys of the rows the policy matches now. */
    List<Object> matched(Connection connection) throws SQLException {
        PolicySettings policy = c.policy;
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT id FROM " + prefix + "p WHERE ");
        long cutoff = Form.micros(c.cutoff);
        if (policy.timeColumnFallback().isPresent()) {
            sql.append("(truth < ? OR (truth IS NULL AND ftruth < ?))");
            params.add(cutoff);
            params.add(cutoff);
        } else {
            sql.append("truth < ?");
            params.add(cutoff);
        }
        if (policy.statuses().isPresent()) {
            List<Object> values = policy.statuses().map(StatusFilter::values).orElseThrow();
            sql.append(" AND s IN (").append(marks(values.size())).append(")");
            params.addAll(values);
        }
        for (String column : policy.whereNull()) {
            sql.append(" AND ").append(column).append(" IS NULL");
        }
        if (!policy.unreferencedBy().isEmpty()) {
            sql.append(" AND NOT EXISTS (SELECT 1 FROM ")
                    .append(prefix)
                    .append("blk b WHERE b.ref = ")
                    .append(prefix)
                    .append("p.id)");
        }
        List<Object> ids = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                s.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1));
                }
            }
        }
        return ids;
    }

    /**
     * Deletes what the policy matches now, with its dependents; the database cascades. With {@code matchedAtStart},
     * only those of them that matched then: what a run that made no count after its batches promises.
     */
    void delete(Connection connection, Optional<List<Object>> matchedAtStart) throws SQLException {
        List<Object> ids = matched(connection);
        matchedAtStart.ifPresent(ids::retainAll);
        if (ids.isEmpty()) {
            return;
        }
        if (!c.policy.dependents().isEmpty()) {
            update(connection, "DELETE FROM " + prefix + "dep WHERE ref IN (" + marks(ids.size()) + ")", ids);
        }
        update(connection, "DELETE FROM " + prefix + "p WHERE id IN (" + marks(ids.size()) + ")", ids);
    }

    /** Rows of {@code table} that reach one of {@code ids}: {@code dep} and {@code kid} by ref, {@code gkid} by kid. */
    long reaching(Connection connection, String table, List<Object> ids) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        String where = table.equals("gkid")
                ? "kid IN (SELECT id FROM " + prefix + "kid WHERE ref IN (" + marks(ids.size()) + "))"
                : "ref IN (" + marks(ids.size()) + ")";
        try (PreparedStatement s =
                connection.prepareStatement("SELECT count(*) FROM " + prefix + table + " WHERE " + where)) {
            for (int i = 0; i < ids.size(); i++) {
                s.setObject(i + 1, ids.get(i));
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void update(Connection connection, String sql, List<Object> ids) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            for (int i = 0; i < ids.size(); i++) {
                s.setObject(i + 1, ids.get(i));
            }
            s.executeUpdate();
        }
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }
}

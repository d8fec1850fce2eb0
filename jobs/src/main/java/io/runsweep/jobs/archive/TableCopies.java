package io.runsweep.jobs.archive;

import io.runsweep.jobs.purge.BatchArchive;
import io.runsweep.sql.ArchiveSql;
import io.runsweep.sql.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;

/** Copies into archive tables, in the transaction that deletes the rows: both commit, or neither. */
final class TableCopies implements CopySink {
    private final ArchiveSql sql;
    private final Map<TableName, TableName> archiveTables;
    private final String policy;
    private long pendingBytes;

    TableCopies(ArchiveSql sql, Map<TableName, TableName> archiveTables, String policy) {
        this.sql = sql;
        this.archiveTables = archiveTables;
        this.policy = policy;
    }

    @Override
    public String form() {
        return "schema";
    }

    @Override
    public void add(Connection connection, Captured rows, Instant archivedAt) throws SQLException {
        if (rows.size() == 0) {
            return;
        }
        TableName archive = archiveTables.get(rows.table().name());
        int width = rows.columns().size();
        try (PreparedStatement s = connection.prepareStatement(sql.insertCopy(archive, rows.columnNames()))) {
            for (Object[] row : rows.rows()) {
                for (int i = 0; i < width; i++) {
                    sql.bind(s, i + 1, row[i], rows.columns().get(i));
                    pendingBytes += JsonRows.textLength(row[i]);
                }
                sql.archivedAt(archivedAt).bind(connection, s, width + 1, null);
                s.setString(width + 2, policy);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    @Override
    public void seal() {}

    @Override
    public long ended(BatchArchive.Outcome outcome) {
        // The copies were in the batch's transaction: they committed, or not, with it.
        long bytes = outcome == BatchArchive.Outcome.ROLLED_BACK ? 0 : pendingBytes;
        pendingBytes = 0;
        return bytes;
    }

    @Override
    public void close() {}
}

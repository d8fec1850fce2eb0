package io.runsweep.jobs.archive;

import io.runsweep.jobs.purge.ArchivePlan;
import io.runsweep.jobs.purge.BatchArchive;
import io.runsweep.jobs.purge.PurgePlan;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.sql.ArchiveSql;
import io.runsweep.sql.Transactions;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Opens each run's archive: makes what its plan prepares (schema, tables, columns), then its sinks. */
public final class Archives implements BatchArchive.Factory {
    private final ArchiveSql sql;
    private final Clock clock;

    public Archives(ArchiveSql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    @Override
    public BatchArchive open(PurgePlan plan, PurgeProgress progress, Connection connection) throws SQLException {
        ArchivePlan archive = plan.archive().orElseThrow();
        if (!archive.prepare().isEmpty()) {
            Transactions.commit(connection, () -> {
                try (Statement s = connection.createStatement()) {
                    for (String ddl : archive.prepare()) {
                        s.execute(ddl);
                    }
                }
                return null;
            });
        }
        List<CopySink> sinks = new ArrayList<>();
        if (!archive.archiveTables().isEmpty()) {
            sinks.add(new TableCopies(sql, archive.archiveTables(), archive.policy()));
        }
        if (archive.directory().isPresent()) {
            try {
                sinks.add(
                        new FileCopies(new ArchiveDirectory(archive.directory().get()), clock.instant()));
            } catch (IOException e) {
                throw new SQLException(
                        "archive: cannot read " + archive.directory().get() + ": " + e, e);
            }
        }
        return new ArchiveRun(plan, sql, sinks, progress, clock);
    }
}

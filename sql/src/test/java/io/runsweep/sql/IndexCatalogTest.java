package io.runsweep.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.sql.postgresql.PostgresIndexes;
import io.runsweep.sql.sqlite.SqliteIndexes;
import io.runsweep.sql.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each database's index catalog, read from real tables. */
class IndexCatalogTest {
    @TempDir
    Path dir;

    private static Map<String, IndexInfo> indexes(Database db, Connection c, String table) throws Exception {
        Table info = db.dialect().describe(c, TableName.of(table)).orElseThrow();
        return db.indexes().indexes(c, info).stream().collect(Collectors.toMap(IndexInfo::name, Function.identity()));
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void readsColumnsUniquenessAndSignatures(DatabaseKind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir);
                Connection c = db.connection();
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE \"Runs\" (\"Id\" INTEGER NOT NULL, \"EndTime\" VARCHAR(30), status INTEGER,"
                            + " CONSTRAINT pk_runs PRIMARY KEY (\"Id\"), CONSTRAINT uq_runs__status_end UNIQUE (status, \"EndTime\"))");
            s.execute("CREATE INDEX ix_end ON \"Runs\" (\"EndTime\")");
            s.execute("CREATE INDEX \"ix_end_again\" ON \"Runs\"(  \"EndTime\" )");
            s.execute("CREATE INDEX ix_end_desc ON \"Runs\" (\"EndTime\" DESC)");
            s.execute("CREATE INDEX ix_end_open ON \"Runs\" (\"EndTime\") WHERE status IS NULL");
            s.execute("CREATE INDEX ix_status_end ON \"Runs\" (status, \"EndTime\")");

            Map<String, IndexInfo> indexes = indexes(db, c, "Runs");

            IndexInfo end = indexes.get("ix_end");
            assertEquals(List.of("EndTime"), end.columns());
            assertTrue(end.leadsWith("EndTime"));
            assertEquals(false, end.unique());
            assertEquals(end.signature(), indexes.get("ix_end_again").signature());
            assertNotEquals(end.signature(), indexes.get("ix_end_desc").signature());
            assertNotEquals(end.signature(), indexes.get("ix_end_open").signature());
            assertEquals(
                    List.of("status", "EndTime"), indexes.get("ix_status_end").columns());
            String unique = kind == DatabaseKind.SQLITE ? "sqlite_autoindex_Runs_1" : "uq_runs__status_end";
            assertEquals(true, indexes.get(unique).unique());
            assertEquals(
                    indexes.get(unique).signature(),
                    indexes.get("ix_status_end").signature());
            if (kind == DatabaseKind.POSTGRESQL) {
                assertEquals(true, indexes.get("pk_runs").primary());
                assertEquals(OptionalLong.of(0), end.scans());
            } else {
                assertEquals(OptionalLong.empty(), end.scans());
            }
        }
    }

    @Test
    void createIndexQuotesEveryIdentifierAndBuildsConcurrentlyOnPostgres() {
        TableName table = TableName.of("event_resources");
        assertEquals(
                "CREATE INDEX CONCURRENTLY \"ix_event_resources__event_id\" ON \"event_resources\" (\"event_id\");",
                new PostgresIndexes().createIndex(table, "event_id", "ix_event_resources__event_id"));
        assertEquals(
                "CREATE INDEX \"ix_event_resources__event_id\" ON \"event_resources\" (\"event_id\");",
                new SqliteIndexes().createIndex(table, "event_id", "ix_event_resources__event_id"));
        assertEquals(
                "CREATE INDEX CONCURRENTLY \"IX_JobOccurrences_EndTime\" ON \"archive\".\"JobOccurrences\""
                        + " (\"EndTime\");",
                new PostgresIndexes()
                        .createIndex(
                                TableName.parse("archive.JobOccurrences"), "EndTime", "IX_JobOccurrences_EndTime"));
    }
}

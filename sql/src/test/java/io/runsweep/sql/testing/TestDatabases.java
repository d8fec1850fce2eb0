package io.runsweep.sql.testing;

import io.runsweep.sql.ConnectionOptions;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.connect.Databases;
import java.nio.file.Path;
import java.time.Duration;

/** Real databases for tests: a SQLite file in a test's folder, or a fresh database on embedded PostgreSQL. */
public final class TestDatabases {
    private TestDatabases() {}

    /** Four connections, a 5 s busy timeout, no statement timeout, read-write, never creating a file. */
    public static ConnectionOptions options() {
        return new ConnectionOptions(
                4, Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ZERO, false, "runsweep", false);
    }

    public static Database open(DatabaseKind kind, Path dir) {
        return switch (kind) {
            case SQLITE ->
                Databases.open(
                        DatabaseUrl.ofSqliteFile(dir.resolve("prefect.db")),
                        options().withCreateIfMissing(true));
            case POSTGRESQL -> Databases.open(DatabaseUrl.parse(TestPostgres.newDatabase()), options());
        };
    }

    /** A second handle on the same database, opened read-only as a dry run opens it. */
    public static Database reopenReadOnly(Database database) {
        return Databases.open(database.url(), options().withReadOnly(true));
    }
}

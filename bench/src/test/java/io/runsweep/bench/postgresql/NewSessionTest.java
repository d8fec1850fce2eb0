package io.runsweep.bench.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.Queries;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestPostgres;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The baselines run on a server process of their own, made before they are timed, as the engine's: never on the
 * bench's process that seeded the table, which has touched every shared buffer already.
 */
class NewSessionTest {

    @Test
    void aNewSessionIsAServerProcessOfItsOwnStartedBeforeItIsUsed() throws Exception {
        DatabaseUrl url = DatabaseUrl.parse(TestPostgres.newDatabase());
        try (Database bench = Databases.open(url, TestDatabases.options().withPoolSize(2));
                Connection seeding = bench.connection();
                Statement s = seeding.createStatement()) {
            s.execute("CREATE TABLE seeded AS SELECT g FROM generate_series(1, 1000) g");
            int seeder = pid(seeding);
            int sessionsBefore = backends(seeding);

            try (Database session = PostgresBench.newSession(url)) {
                // Its connection exists before anyone asks for it: making it is not part of any method's time.
                assertEquals(sessionsBefore + 1, backends(seeding));
                try (Connection connection = session.connection()) {
                    int own = pid(connection);
                    assertNotEquals(seeder, own);
                    assertTrue(startedAfter(seeding, own, seeder), "the session's process started after the bench's");
                }
            }
        }
    }

    private static int pid(Connection connection) throws Exception {
        return Integer.parseInt(Queries.single(connection, "SELECT pg_backend_pid()"));
    }

    /** Client sessions of this database, counted the way the server sees them. */
    private static int backends(Connection connection) throws Exception {
        return Integer.parseInt(Queries.single(
                connection,
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND backend_type = 'client backend'"));
    }

    private static boolean startedAfter(Connection connection, int later, int earlier) throws Exception {
        return "t"
                .equals(Queries.single(
                        connection,
                        "SELECT (SELECT backend_start FROM pg_stat_activity WHERE pid = " + later
                                + ") > (SELECT backend_start FROM pg_stat_activity WHERE pid = " + earlier + ")"));
    }
}

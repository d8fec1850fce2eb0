package io.runsweep.bench.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runsweep.sql.Database;
import io.runsweep.sql.connect.Databases;
import io.runsweep.sql.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The bench's own server commits as a real one does: every commit waits for the disk. */
class EmbeddedServerTest {

    @Test
    void commitsWaitForTheDisk() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.start();
                Database database =
                        Databases.open(server.url(), TestDatabases.options().withPoolSize(1));
                Connection connection = database.connection();
                Statement s = connection.createStatement()) {
            assertEquals("on", show(s, "fsync"));
            assertEquals("on", show(s, "synchronous_commit"));
            assertEquals("on", show(s, "full_page_writes"));
        }
    }

    private static String show(Statement s, String setting) throws Exception {
        try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

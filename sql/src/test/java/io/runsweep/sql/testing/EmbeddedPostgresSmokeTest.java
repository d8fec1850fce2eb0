package io.runsweep.sql.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/** The tests' PostgreSQL is the major version the build asked for (-Ppg14 ... -Ppg17, or the docker image). */
class EmbeddedPostgresSmokeTest {
    @Test
    void runsTheMajorVersionAskedFor() throws Exception {
        try (Connection c = TestPostgres.admin();
                ResultSet rs =
                        c.createStatement().executeQuery("select current_setting('server_version_num')::int / 10000")) {
            rs.next();
            assertEquals(TestPostgres.major(), rs.getInt(1));
        }
    }
}

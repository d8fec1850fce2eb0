package io.runsweep.sql.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresSmokeTest {
    @Test
    void starts() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start();
                Connection c = pg.getPostgresDatabase().getConnection();
                ResultSet rs =
                        c.createStatement().executeQuery("select current_setting('server_version_num')::int / 10000")) {
            rs.next();
            assertEquals(15, rs.getInt(1));
        }
    }
}

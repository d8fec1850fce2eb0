package io.runsweep.jobs;

import io.runsweep.jobs.seed.PrefectSchema;
import io.runsweep.jobs.seed.PrefectSeeder;
import io.runsweep.jobs.seed.SchemaDialect;
import io.runsweep.jobs.seed.SeedOptions;
import io.runsweep.sql.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;

/** Synthetic Prefect history in a real database, from the seeder `runsweep seed` uses, and counts of it. */
public final class PrefectHistory {
    private PrefectHistory() {}

    /** Prefect's tables and {@code flowRuns} runs over the {@code days} before {@code now}, the same every time. */
    public static void seed(Database database, int flowRuns, int days, Instant now) throws Exception {
        SchemaDialect dialect = SchemaDialect.of(database.kind());
        try (Connection c = database.connection()) {
            PrefectSchema.create(c, dialect);
            new PrefectSeeder(SeedOptions.builder()
                            .flowRuns(flowRuns)
                            .days(days)
                            .now(now)
                            .seed(42)
                            .build())
                    .seed(c, dialect);
        }
    }

    /** {@code at} as a SQL literal the database compares its time columns with: UTC text on SQLite. */
    public static String literal(Database database, Instant at) {
        String text = at.toString().replace('T', ' ').replace("Z", "");
        return database.kind() == io.runsweep.sql.DatabaseKind.SQLITE
                ? "'" + (text.length() == 19 ? text + ".000000" : text) + "'"
                : "'" + text + "+00'";
    }

    /** One count, by a plain SQL statement written in the test. */
    public static long count(Database database, String sql) throws Exception {
        try (Connection c = database.connection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

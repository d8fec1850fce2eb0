package io.runsweep.jobs.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runsweep.config.Settings;
import io.runsweep.jobs.TestSettings;
import io.runsweep.jobs.purge.PolicyReport;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestDatabases;
import io.runsweep.sql.testing.TestRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time columns judged row by row: a column that holds times in several forms has each form compared with the
 * cutoff written in that form. The rows are written from known instants, so what must go is known: exactly the
 * rows before the cutoff, by the dry run's count and by the real run, and not one younger row.
 */
class TimeColumnFormsTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Instant CUTOFF = NOW.minus(Duration.ofDays(30));
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** One stored value and whether the instant it was written from lies before the cutoff. */
    private record Row(long id, Object stored, boolean old) {}

    /** How a scheduler (or a hand-written script) writes an instant. */
    private record Form(String name, Function<Instant, Object> write, List<Duration> around) {}

    private static final Duration MICRO = Duration.ofNanos(1_000);
    private static final Duration MILLI = Duration.ofMillis(1);
    private static final Duration SECOND = Duration.ofSeconds(1);

    private static final List<Form> SQLITE_FORMS = List.of(
            new Form("Prefect's text", text("yyyy-MM-dd HH:mm:ss.SSSSSS"), List.of(MICRO, SECOND)),
            new Form("text without a fraction", text("yyyy-MM-dd HH:mm:ss"), List.of(SECOND)),
            new Form("ISO 8601 text with Z", text("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"), List.of(MILLI, SECOND)),
            new Form("text with +00:00", text("yyyy-MM-dd HH:mm:ss.SSSSSS'+00:00'"), List.of(MICRO)),
            new Form("epoch seconds", at -> at.getEpochSecond(), List.of(SECOND)),
            new Form("real epoch seconds", at -> at.toEpochMilli() / 1000.0, List.of(Duration.ofMillis(500))),
            new Form("epoch milliseconds", Instant::toEpochMilli, List.of(MILLI, SECOND)));

    @TempDir
    Path dir;

    @Test
    void sqliteColumnHoldingTimesInEightFormsLosesExactlyItsOldRows() throws Exception {
        try (Database database = TestDatabases.open(DatabaseKind.SQLITE, dir)) {
            List<Row> rows = new ArrayList<>();
            try (Connection c = database.connection()) {
                execute(c, "CREATE TABLE run (id INTEGER PRIMARY KEY, finished DATETIME)");
                execute(c, "CREATE INDEX ix_run__finished ON run (finished)");
                for (Form form : SQLITE_FORMS) {
                    for (Instant at : instantsAround(form.around())) {
                        rows.add(new Row(rows.size() + 1, form.write().apply(at), at.isBefore(CUTOFF)));
                    }
                }
                for (String day : List.of("2026-04-22", "2026-05-02", "2026-05-03", "2026-05-12")) {
                    // A date is its midnight: 2026-05-02 00:00 lies before the cutoff, 2026-05-02 12:00.
                    rows.add(new Row(rows.size() + 1, day, day.compareTo("2026-05-03") < 0));
                }
                rows.add(new Row(rows.size() + 1, null, false));
                insert(c, "run", rows);
            }

            assertSweepTakesExactlyTheOldRows(database, rows, "run");
        }
    }

    @Test
    void sqliteColumnWithFormsThatCannotBeComparedIsRefusedUntilTheSuggestedFixIsApplied() throws Exception {
        try (Database database = TestDatabases.open(DatabaseKind.SQLITE, dir)) {
            List<Row> rows = new ArrayList<>();
            try (Connection c = database.connection()) {
                execute(c, "CREATE TABLE run (id INTEGER PRIMARY KEY, finished DATETIME)");
                Function<Instant, Object> prefect = text("yyyy-MM-dd HH:mm:ss.SSSSSS");
                for (Instant at : instantsAround(List.of(SECOND))) {
                    rows.add(new Row(rows.size() + 1, prefect.apply(at), at.isBefore(CUTOFF)));
                }
                // Text without a fraction is compared too: it counts with Prefect's form below.
                rows.add(new Row(rows.size() + 1, "2026-05-02 11:00:01", true));
                // 11:30 UTC, before the cutoff (12:00 UTC), though its text reads 13:30.
                rows.add(new Row(rows.size() + 1, "2026-05-02 13:30:00+02:00", true));
                // 12:30 UTC, after the cutoff, though its text reads 10:30.
                rows.add(new Row(rows.size() + 1, "2026-05-02 10:30:00-02:00", false));
                rows.add(new Row(rows.size() + 1, "yesterday", false));
                // Prefect's shape with a 13th month and with a 60th second: not dates julianday() reads, so the first
                // read leaves them to the second, which counts them with Prefect's form all the same.
                rows.add(new Row(rows.size() + 1, "2026-13-02 11:00:00.000000", false));
                rows.add(new Row(rows.size() + 1, "2026-05-02 10:59:60.000000", true));
                // julianday() reads a lowercase z as UTC; the first read's last digit refuses it, and the second
                // read, as before, does not read it as a time.
                rows.add(new Row(rows.size() + 1, "2026-05-02 11:00:00.00000z", false));
                insert(c, "run", rows);
            }
            Settings settings = settings("run");
            List<String> before = snapshot(database);

            SweepReport preview = sweep(database, settings, true);
            SweepReport refused = sweep(database, settings, false);

            String message = "\"run\".\"finished\" holds times Runsweep cannot compare with a cutoff: 2 rows of text"
                    + " with a UTC offset other than +00:00 (such as '2026-05-02 13:30:00+02:00'), 2 rows of text that"
                    + " is not a date and time Runsweep reads (such as 'yesterday'); beside 8 rows of text"
                    + " 'YYYY-MM-DD HH:MM:SS[.ffffff]'. Rewrite those rows in UTC, as 'YYYY-MM-DD HH:MM:SS' text or"
                    + " epoch seconds (SQLite's strftime('%Y-%m-%d %H:%M:%f', value) writes a time that has an offset"
                    + " as UTC text), or set them to NULL (a NULL time never matches), and the policy can run ("
                    + dir.resolve("runsweep.conf") + ": 1)";
            for (SweepReport report : List.of(preview, refused)) {
                assertEquals(
                        PolicyReport.Outcome.FAILED, report.policies().get(0).outcome());
                assertEquals(Optional.of(message), report.policies().get(0).error());
            }
            assertEquals(before, snapshot(database));

            try (Connection c = database.connection()) {
                execute(
                        c,
                        "UPDATE run SET finished = strftime('%Y-%m-%d %H:%M:%f', finished) WHERE finished GLOB '*:00'");
                execute(c, "UPDATE run SET finished = NULL WHERE finished = 'yesterday' OR finished GLOB '*z'");
            }
            assertSweepTakesExactlyTheOldRows(database, rows, "run");
        }
    }

    @Test
    void postgresqlTimestampsDatesTextAndEpochColumnsLoseExactlyTheirOldRows() throws Exception {
        try (Database database = TestDatabases.open(DatabaseKind.POSTGRESQL, dir)) {
            Map<String, List<Row>> tables = new java.util.LinkedHashMap<>();
            try (Connection c = database.connection()) {
                List<Form> text = SQLITE_FORMS.subList(0, 4);
                tables.put("t_text", rows(c, "t_text", "text", text));
                tables.put("t_epoch", rows(c, "t_epoch", "bigint", List.of(SQLITE_FORMS.get(4), SQLITE_FORMS.get(6))));
                // timestamp without time zone holds UTC, as the schedulers Runsweep serves write it.
                tables.put(
                        "t_timestamp",
                        rows(
                                c,
                                "t_timestamp",
                                "timestamp",
                                List.of(new Form(
                                        "timestamp",
                                        at -> at.atOffset(ZoneOffset.UTC).toLocalDateTime(),
                                        List.of(MICRO, SECOND)))));
                tables.put(
                        "t_timestamptz",
                        rows(
                                c,
                                "t_timestamptz",
                                "timestamptz",
                                List.of(new Form(
                                        "timestamptz",
                                        at -> at.atOffset(ZoneOffset.ofHours(5)),
                                        List.of(MICRO, SECOND)))));
                tables.put(
                        "t_date",
                        rows(
                                c,
                                "t_date",
                                "date",
                                List.of(new Form(
                                        "date",
                                        at -> at.atOffset(ZoneOffset.UTC).toLocalDate(),
                                        List.of(Duration.ofHours(12), Duration.ofDays(1))))));
            }
            for (Map.Entry<String, List<Row>> table : tables.entrySet()) {
                assertSweepTakesExactlyTheOldRows(database, table.getValue(), table.getKey());
            }
        }
    }

    private static List<Row> rows(Connection c, String table, String type, List<Form> forms) throws Exception {
        execute(c, "CREATE TABLE " + table + " (id bigint PRIMARY KEY, finished " + type + ")");
        List<Row> rows = new ArrayList<>();
        for (Form form : forms) {
            for (Instant at : instantsAround(form.around())) {
                Object stored = form.write().apply(at);
                // A date is its midnight, and old when that is.
                boolean old = type.equals("date")
                        ? at.truncatedTo(java.time.temporal.ChronoUnit.DAYS).isBefore(CUTOFF)
                        : at.isBefore(CUTOFF);
                rows.add(new Row(rows.size() + 1, stored, old));
            }
        }
        rows.add(new Row(rows.size() + 1, null, false));
        insert(c, table, rows);
        return rows;
    }

    /** Far before, just before, at, just after and far after the cutoff, by each step given. */
    private static List<Instant> instantsAround(List<Duration> steps) {
        TreeSet<Instant> at =
                new TreeSet<>(List.of(CUTOFF.minus(Duration.ofDays(10)), CUTOFF, CUTOFF.plus(Duration.ofDays(10))));
        for (Duration step : steps) {
            at.add(CUTOFF.minus(step));
            at.add(CUTOFF.plus(step));
        }
        return List.copyOf(at);
    }

    private void assertSweepTakesExactlyTheOldRows(Database database, List<Row> rows, String table) throws Exception {
        Settings settings = settings(table);
        long old = rows.stream().filter(Row::old).count();
        TreeSet<String> young = new TreeSet<>();
        rows.stream().filter(r -> !r.old()).forEach(r -> young.add(String.valueOf(r.id())));

        PolicyReport preview = sweep(database, settings, true).policies().get(0);
        PolicyReport real = sweep(database, settings, false).policies().get(0);

        assertEquals(
                PolicyReport.Outcome.PREVIEWED,
                preview.outcome(),
                preview.error().orElse(""));
        assertEquals(
                PolicyReport.Outcome.SUCCEEDED, real.outcome(), real.error().orElse(""));
        assertTrue(old > 0);
        assertEquals(old, preview.rows(table), table + ": the dry run's count");
        assertEquals(old, real.rows(table), table + ": rows deleted");
        try (Connection c = database.connection()) {
            assertEquals(young, new TestRows(c).ids(table), table + ": rows left");
        }
    }

    private Settings settings(String table) throws Exception {
        return TestSettings.load(
                dir,
                "runsweep.policies.runs {",
                "  table = " + table + ", time-column = finished, older-than = 30d, max-fraction = 1.0",
                "}");
    }

    private static SweepReport sweep(Database database, Settings settings, boolean dryRun) {
        if (!dryRun) {
            return new Sweep(database, TestSettings.runOptions(), CLOCK, new StopSignal())
                    .run(settings.enabledPolicies(), false, PurgeProgress.NONE);
        }
        try (Database readOnly = TestDatabases.reopenReadOnly(database)) {
            return new Sweep(readOnly, TestSettings.runOptions(), CLOCK, new StopSignal())
                    .run(settings.enabledPolicies(), true, PurgeProgress.NONE);
        }
    }

    private static List<String> snapshot(Database database) throws Exception {
        try (Connection c = database.connection()) {
            return new TestRows(c).snapshot(List.of("run"));
        }
    }

    private static Function<Instant, Object> text(String pattern) {
        DateTimeFormatter format = DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC);
        return format::format;
    }

    private static void insert(Connection c, String table, List<Row> rows) throws Exception {
        boolean postgres = new TestRows(c).postgres();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + table + " (id, finished) VALUES (?, ?)")) {
            for (Row row : rows) {
                s.setLong(1, row.id());
                if (row.stored() == null) {
                    s.setNull(2, postgres ? Types.OTHER : Types.NULL);
                } else {
                    s.setObject(2, row.stored());
                }
                s.executeUpdate();
            }
        }
    }

    private static void execute(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}

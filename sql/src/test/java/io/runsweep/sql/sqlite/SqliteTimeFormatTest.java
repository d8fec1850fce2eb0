package io.runsweep.sql.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runsweep.sql.Column;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SqliteTimeFormatTest {
    @Test
    void sqliteTimesAreReadInEveryFormTheCutoffsAreWrittenIn() {
        Column at = new Column("at", "DATETIME", Column.Category.TIMESTAMP, true);
        assertEquals(
                Instant.parse("2026-03-01T12:30:45.123456Z"), SqliteTimeFormat.parse(at, "2026-03-01 12:30:45.123456"));
        assertEquals(Instant.parse("2026-03-01T12:30:45.120Z"), SqliteTimeFormat.parse(at, "2026-03-01T12:30:45.12Z"));
        assertEquals(Instant.parse("2026-03-01T12:30:45Z"), SqliteTimeFormat.parse(at, "2026-03-01 12:30:45+00:00"));
        assertEquals(Instant.parse("2026-03-01T12:30:45Z"), SqliteTimeFormat.parse(at, 1772368245L));
        assertEquals(Instant.parse("2026-03-01T12:30:45.250Z"), SqliteTimeFormat.parse(at, 1772368245250L));
        assertEquals(Instant.parse("2026-03-01T12:30:45.500Z"), SqliteTimeFormat.parse(at, 1772368245.5));
    }
}

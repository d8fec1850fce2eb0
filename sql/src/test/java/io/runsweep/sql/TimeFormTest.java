package io.runsweep.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeFormTest {
    @Test
    void storedTimesAreReadInEveryFormThatIsCompared() {
        assertEquals(Instant.parse("2026-03-01T12:30:45.123456Z"), TimeForm.read("2026-03-01 12:30:45.123456"));
        assertEquals(Instant.parse("2026-03-01T12:30:45.120Z"), TimeForm.read("2026-03-01T12:30:45.12Z"));
        assertEquals(Instant.parse("2026-03-01T12:30:45Z"), TimeForm.read("2026-03-01 12:30:45+00:00"));
        assertEquals(Instant.parse("2026-03-01T12:30:45Z"), TimeForm.read("2026-03-01T12:30:45-0000"));
        assertEquals(Instant.parse("2026-03-01T00:00:00Z"), TimeForm.read("2026-03-01"));
        assertEquals(Instant.parse("2026-03-01T12:30:45Z"), TimeForm.read(1772368245L));
        assertEquals(Instant.parse("2026-03-01T12:30:45.250Z"), TimeForm.read(1772368245250L));
        assertEquals(Instant.parse("2026-03-01T12:30:45.500Z"), TimeForm.read(1772368245.5));
        assertEquals(
                "'2026-03-01 12:30:45+02:00' is not a time in a form Runsweep reads",
                assertThrows(IllegalArgumentException.class, () -> TimeForm.read("2026-03-01 12:30:45+02:00"))
                        .getMessage());
        // In a form's shape but no day or time: a caller that skips what it cannot read (IllegalArgumentException)
        // skips these too, where java.time's own exception used to end a dry run.
        for (String notATime : List.of(
                "2026-13-02 11:00:00.000000",
                "2026-02-30 11:00:00",
                "2026-05-02 24:00:00",
                "2026-05-02 10:59:60",
                "2026-13-02")) {
            assertTrue(
                    assertThrows(IllegalArgumentException.class, () -> TimeForm.read(notATime))
                            .getMessage()
                            .startsWith("'" + notATime + "' is not a date and time: "),
                    notATime);
        }
    }

    @Test
    void eachFormWritesTheCutoffSoThatItsOwnValuesCompareExactly() {
        Instant cutoff = Instant.parse("2026-03-01T12:30:45Z");
        assertEquals("'2026-03-01 12:30:45'", TimeForm.TEXT.cutoff(cutoff).display());
        assertEquals("'2026-03-01T12:30:45'", TimeForm.TEXT_T.cutoff(cutoff).display());
        // Midnight of 2026-03-01 is before the cutoff, so that date goes; the cutoff for dates is the next one.
        assertEquals("'2026-03-02'", TimeForm.DATE_TEXT.cutoff(cutoff).display());
        assertEquals(
                "'2026-03-01'",
                TimeForm.DATE_TEXT.cutoff(Instant.parse("2026-03-01T00:00:00Z")).display());
        assertEquals(
                "1772368245 (2026-03-01T12:30:45Z)",
                TimeForm.EPOCH_SECONDS.cutoff(cutoff).display());
        assertEquals(
                "1772368245000 (2026-03-01T12:30:45Z)",
                TimeForm.EPOCH_MILLIS.cutoff(cutoff).display());
        // Far cutoffs stay within each form's own range, so they never reach into the next form's values.
        Instant far = Instant.parse("9999-01-01T00:00:00Z");
        assertEquals(
                "100000000000 (9999-01-01T00:00:00Z)",
                TimeForm.EPOCH_SECONDS.cutoff(far).display());
        assertEquals(
                "100000000000000 (9999-01-01T00:00:00Z)",
                TimeForm.EPOCH_MILLIS.cutoff(far).display());
        assertEquals(
                Instant.parse("2026-03-01T12:30:45Z"), TimeForm.wholeSecond(Instant.parse("2026-03-01T12:30:45.999Z")));
    }
}

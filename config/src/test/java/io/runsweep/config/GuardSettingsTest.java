package io.runsweep.config;

import static io.runsweep.config.ConfigFiles.load;
import static io.runsweep.config.ConfigFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keys that let a policy through its guard (allow-large-until, once; allow-cascade-conflicts, by choice), and
 * what check knows of the scheduler's schema (runsweep.review), as the presets set it.
 */
class GuardSettingsTest {
    @TempDir
    Path dir;

    @Test
    void allowLargeUntilTakesATimeOrADateAndLapses() throws Exception {
        Settings settings = load(write(
                dir,
                "runsweep.policies.a { table = t, time-column = c, older-than = 1d, allow-large-until = \"2026-06-02\" }",
                "runsweep.policies.b { table = t, time-column = c, older-than = 1d,"
                        + " allow-large-until = \"2026-06-02T12:30:00Z\", allow-cascade-conflicts = true }"));

        PolicySettings.RunLimits a = settings.policies().get("a").limits();
        PolicySettings.RunLimits b = settings.policies().get("b").limits();
        assertEquals(Optional.of(Instant.parse("2026-06-02T00:00:00Z")), a.allowLargeUntil());
        assertTrue(a.largeAllowedAt(Instant.parse("2026-06-01T23:59:59Z")));
        assertFalse(a.largeAllowedAt(Instant.parse("2026-06-02T00:00:00Z")));
        assertEquals(Optional.of(Instant.parse("2026-06-02T12:30:00Z")), b.allowLargeUntil());
        assertFalse(a.allowCascadeConflicts());
        assertTrue(b.allowCascadeConflicts());
        assertEquals(1.0, a.maxFraction());
    }

    @Test
    void badValuesAreProblemsWithFileAndLine() {
        Path file = write(
                dir,
                "runsweep.policies.a { table = t, time-column = c, older-than = 1d,",
                "  allow-large-until = tomorrow, allow-cascade-conflicts = maybe }",
                "runsweep.review.index-name = \"ix-{table}\"");

        assertEquals(
                List.of(
                        file + ": 2: runsweep.policies.a.allow-large-until: expected a time such as"
                                + " \"2026-06-02T12:00:00Z\" or a date such as \"2026-06-02\" (UTC); got 'tomorrow'",
                        file + ": 2: runsweep.policies.a.allow-cascade-conflicts: expected true or false, got 'maybe'",
                        file + ": 3: runsweep.review.index-name: must contain {column} (and usually {table}) and"
                                + " otherwise letters, digits and '_', e.g. \"ix_{table}__{column}\"; got \"ix-{table}\""),
                assertThrows(SettingsException.class, () -> load(file)).problems());
    }

    @Test
    void presetsNameTheirSchedulersIndexesAndConvention() throws Exception {
        ReviewSettings prefect = load(write(dir, "runsweep.preset = prefect")).review();
        ReviewSettings milvaion = load(write(dir, "runsweep.preset = milvaion")).review();
        ReviewSettings none =
                load(write(dir, "runsweep.database.url = \"sqlite:///x.db\"")).review();

        assertEquals("ix_event_resources__event_id", prefect.indexName("event_resources", "event_id"));
        assertEquals("IX_WorkflowRuns_EndTime", milvaion.indexName("WorkflowRuns", "EndTime"));
        assertTrue(prefect.schedulerOwns("ix_flow_run_name_case_insensitive"));
        assertTrue(prefect.schedulerOwns("trgm_ix_task_run_name"));
        assertFalse(prefect.schedulerOwns("my_log_level"));
        assertTrue(milvaion.schedulerOwns("IX_JobOccurrences_Status_CreatedAt_Covering"));
        assertFalse(milvaion.schedulerOwns("ix_JobOccurrences_EndTime"));
        assertFalse(none.schedulerOwns("ix_log__timestamp"));
        assertEquals(63, none.indexName("t".repeat(50), "c".repeat(30)).length());
    }
}

package io.runsweep.jobs.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyReportTest {
    @Test
    void aMergedRunKeepsEachPartsRunNotesAndLeavesOutTheStrategiesItsPlansChose() {
        PolicyReport override = run(
                "flow-runs[FAILED]",
                List.of(
                        "strategy block-range: about 700 of 1,000 rows (70.0%) match: above 10%, one pass over the"
                                + " table beats index lookups",
                        "1 batch was retried after a passing failure"));
        PolicyReport own = run(
                "flow-runs",
                List.of(
                        "strategy index: about 10 of 1,000 rows (1.0%) match: at most 10%, index lookups read less"
                                + " than a pass over the table",
                        "older-than 30d from --older-than (the configuration says 90d)"));

        PolicyReport merged = PolicyReport.merged("flow-runs", List.of(override, own));

        assertEquals(
                List.of(
                        "flow-runs[FAILED]: 1 batch was retried after a passing failure",
                        "flow-runs: older-than 30d from --older-than (the configuration says 90d)"),
                merged.runNotes());
        assertEquals(
                "; note: flow-runs[FAILED]: 1 batch was retried after a passing failure; note: flow-runs:"
                        + " older-than 30d from --older-than (the configuration says 90d)",
                Summaries.notes(merged));
        assertEquals(List.of("1 batch was retried after a passing failure"), override.runNotes());
        assertEquals(4, merged.notes().size(), "the JSON and the dry run keep every note: " + merged.notes());
    }

    @Test
    void theSummarySaysOneRowAndOneBatchInTheSingular() {
        PolicyReport one = deleted(1, List.of(new PolicyReport.TableRows("log", 1, PolicyReport.Reach.MATCHED, "")));
        PolicyReport more = deleted(
                12,
                List.of(
                        new PolicyReport.TableRows("flow_run", 1, PolicyReport.Reach.MATCHED, ""),
                        new PolicyReport.TableRows("log", 15000, PolicyReport.Reach.DEPENDENT, "flow_run_id"),
                        new PolicyReport.TableRows("task_run", 3, PolicyReport.Reach.CASCADE, "fk")));

        assertEquals("deleted 1 row from \"log\" in 1 batch", Summaries.deleted(one));
        assertEquals(
                "deleted 1 row from \"flow_run\", 15,000 from \"log\", 3 from \"task_run\" (cascade) in 12 batches",
                Summaries.deleted(more));
    }

    private static PolicyReport deleted(int batches, List<PolicyReport.TableRows> tables) {
        return new PolicyReport(
                "logs",
                tables.get(0).table(),
                Optional.of(Instant.parse("2026-05-02T00:00:00Z")),
                PolicyReport.Outcome.SUCCEEDED,
                tables,
                batches,
                Duration.ofMillis(20),
                Optional.empty(),
                List.of(),
                List.of(),
                Optional.empty());
    }

    private static PolicyReport run(String policy, List<String> notes) {
        return new PolicyReport(
                policy,
                "flow_run",
                Optional.of(Instant.parse("2026-05-02T00:00:00Z")),
                PolicyReport.Outcome.SUCCEEDED,
                List.of(new PolicyReport.TableRows("flow_run", 10, PolicyReport.Reach.MATCHED, "")),
                1,
                Duration.ofMillis(20),
                Optional.empty(),
                List.of(),
                notes,
                Optional.empty());
    }
}

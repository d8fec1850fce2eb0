package io.runsweep.app.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runsweep.jobs.purge.PolicyReport;
import io.runsweep.jobs.purge.PolicyReport.Reach;
import io.runsweep.jobs.purge.PolicyReport.TableRows;
import io.runsweep.jobs.sweep.SweepReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The table a real sweep prints: one line per policy and table, its units in the singular where the count is one. */
class SweepTextTest {
    private static final Instant CUTOFF = Instant.parse("2026-03-03T00:00:00Z");

    @Test
    void oneRowInOneBatchIsSaidInTheSingularAndTheColumnsStayAligned() {
        SweepReport sweep = new SweepReport(
                false,
                CUTOFF,
                List.of(
                        succeeded("logs", "log", 1, List.of(new TableRows("log", 1, Reach.MATCHED, ""))),
                        succeeded(
                                "flow-runs",
                                "flow_run",
                                24,
                                List.of(
                                        new TableRows("flow_run", 4647, Reach.MATCHED, ""),
                                        new TableRows("artifact", 1, Reach.DEPENDENT, "flow_run_id"),
                                        new TableRows("log", 0, Reach.DEPENDENT, "flow_run_id")))),
                List.of(),
                Duration.ofMillis(2500));

        assertEquals(
                "logs               log                               1 row       1 batch    0.25 s\n"
                        + "flow-runs          flow_run                      4,647 rows     24 batches  0.25 s\n"
                        + "flow-runs          artifact                          1 row      24 batches  0.25 s\n"
                        + "flow-runs          log                               0 rows     24 batches  0.25 s\n"
                        + "\n"
                        + "2 policies, 0 failed (2.50 s)\n",
                SweepText.render(sweep));
    }

    private static PolicyReport succeeded(String policy, String table, int batches, List<TableRows> tables) {
        return new PolicyReport(
                policy,
                table,
                Optional.of(CUTOFF),
                PolicyReport.Outcome.SUCCEEDED,
                tables,
                batches,
                Duration.ofMillis(250),
                Optional.empty(),
                List.of(),
                List.of(),
                Optional.empty());
    }
}

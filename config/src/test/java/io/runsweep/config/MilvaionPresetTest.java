package io.runsweep.config;

import static io.runsweep.config.ConfigFiles.load;
import static io.runsweep.config.ConfigFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runsweep.config.PolicySettings.StatusFilter;
import io.runsweep.config.PolicySettings.TableColumn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MilvaionPresetTest {
    private static final String PRESET = "presets/milvaion.conf";
    private static final String HOURLY = "0 0 * * * ?";
    private static final PolicySettings.RunLimits LIMITS = PrefectPresetTest.LIMITS;

    @TempDir
    Path dir;

    @Test
    void presetHasItsElevenPoliciesInItsOwnOrder() throws Exception {
        Settings settings = load(write(dir, "runsweep.preset = milvaion"));

        assertEquals(Optional.of("milvaion"), settings.preset());
        assertEquals(
                List.of(
                        "occurrences-completed",
                        "occurrences-failed",
                        "occurrences-cancelled",
                        "occurrences-timed-out",
                        "occurrences-unknown",
                        "occurrences-skipped",
                        "failed-occurrences-resolved",
                        "failed-occurrences-unresolved",
                        "workflow-runs",
                        "activity-logs",
                        "notifications-seen",
                        "notifications-unseen"),
                List.copyOf(settings.policies().keySet()));
    }

    @Test
    void occurrencesGoByStatusWithMilvaionsPeriodsAndCreatedAtWhenEndTimeIsNull() throws Exception {
        Map<String, PolicySettings> p =
                load(write(dir, "runsweep.preset = milvaion")).policies();

        assertEquals(occurrences("occurrences-completed", 2, 30, 27), p.get("occurrences-completed"));
        assertEquals(occurrences("occurrences-failed", 3, 90, 38), p.get("occurrences-failed"));
        assertEquals(occurrences("occurrences-cancelled", 4, 30, 47), p.get("occurrences-cancelled"));
        assertEquals(occurrences("occurrences-timed-out", 5, 60, 56), p.get("occurrences-timed-out"));
        assertEquals(occurrences("occurrences-unknown", 6, 90, 68), p.get("occurrences-unknown"));
        assertEquals(occurrences("occurrences-skipped", 7, 30, 79), p.get("occurrences-skipped"));
    }

    @Test
    void deadLettersWorkflowRunsActivityAndNotificationsUseTheirRealColumns() throws Exception {
        Map<String, PolicySettings> p =
                load(write(dir, "runsweep.preset = milvaion")).policies();

        assertEquals(
                new PolicySettings(
                        "failed-occurrences-resolved",
                        "FailedOccurrences",
                        "ResolvedAt",
                        Optional.of("FailedAt"),
                        Duration.ofDays(30),
                        status("Resolved", true),
                        List.of(),
                        List.of(),
                        Optional.empty(),
                        List.of(),
                        500,
                        LIMITS,
                        PolicySettings.Strategy.AUTO,
                        true,
                        HOURLY,
                        PRESET + ": 90"),
                p.get("failed-occurrences-resolved"));
        assertEquals(
                new PolicySettings(
                        "failed-occurrences-unresolved",
                        "FailedOccurrences",
                        "FailedAt",
                        Optional.empty(),
                        Duration.ofDays(180),
                        status("Resolved", false),
                        List.of(),
                        List.of(),
                        Optional.empty(),
                        List.of(),
                        500,
                        LIMITS,
                        PolicySettings.Strategy.AUTO,
                        true,
                        HOURLY,
                        PRESET + ": 101"),
                p.get("failed-occurrences-unresolved"));
        assertEquals(
                new PolicySettings(
                        "workflow-runs",
                        "WorkflowRuns",
                        "EndTime",
                        Optional.of("CreatedAt"),
                        Duration.ofDays(90),
                        Optional.of(new StatusFilter("Status", List.of(2L, 3L, 4L, 5L))),
                        List.of(),
                        List.of(new TableColumn("JobOccurrences", "WorkflowRunId")),
                        Optional.empty(),
                        List.of(),
                        500,
                        LIMITS,
                        PolicySettings.Strategy.AUTO,
                        true,
                        HOURLY,
                        PRESET + ": 114"),
                p.get("workflow-runs"));
        assertEquals(
                new PolicySettings(
                        "activity-logs",
                        "ActivityLogs",
                        "ActivityDate",
                        Optional.empty(),
                        Duration.ofDays(60),
                        Optional.empty(),
                        List.of(),
                        List.of(),
                        Optional.empty(),
                        List.of(),
                        5000,
                        LIMITS,
                        PolicySettings.Strategy.AUTO,
                        true,
                        HOURLY,
                        PRESET + ": 125"),
                p.get("activity-logs"));
        assertEquals(
                new PolicySettings(
                        "notifications-seen",
                        "InternalNotifications",
                        "SeenDate",
                        Optional.empty(),
                        Duration.ofDays(30),
                        Optional.empty(),
                        List.of(),
                        List.of(),
                        Optional.empty(),
                        List.of(),
                        5000,
                        LIMITS,
                        PolicySettings.Strategy.AUTO,
                        true,
                        HOURLY,
                        PRESET + ": 134"),
                p.get("notifications-seen"));
        assertEquals(
                new PolicySettings(
                        "notifications-unseen",
                        "InternalNotifications",
                        "CreationDate",
                        Optional.empty(),
                        Duration.ofDays(60),
                        Optional.empty(),
                        List.of("SeenDate"),
                        List.of(),
                        Optional.empty(),
                        List.of(),
                        5000,
                        LIMITS,
                        PolicySettings.Strategy.AUTO,
                        true,
                        HOURLY,
                        PRESET + ": 143"),
                p.get("notifications-unseen"));
    }

    @Test
    void monthlyPartitionsOfOccurrencesAreOfferedSwitchedOff() throws Exception {
        Settings settings = load(write(dir, "runsweep.preset = milvaion"));

        assertEquals(
                Map.of(
                        "job-occurrences",
                        new PartitionSettings(
                                "job-occurrences",
                                "JobOccurrences",
                                "CreatedAt",
                                PartitionSettings.Interval.MONTHLY,
                                3,
                                6,
                                PartitionSettings.OnExpire.DROP,
                                "archive",
                                5,
                                Duration.ofSeconds(1),
                                false,
                                "0 5 0 * * ?",
                                PRESET + ": 159")),
                settings.partitions());
        assertEquals(List.of(), settings.enabledPartitions());
    }

    @Test
    void aUserSwitchesThePartitionsOnAndRaisesTheFailedPeriod() throws Exception {
        Settings settings = load(write(
                dir,
                "runsweep.preset = milvaion",
                "runsweep.partitions.job-occurrences.enabled = true",
                "runsweep.policies.occurrences-failed.older-than = 180d"));

        assertEquals(
                List.of("job-occurrences"),
                settings.enabledPartitions().stream()
                        .map(PartitionSettings::name)
                        .toList());
        assertEquals(
                Duration.ofDays(180),
                settings.policies().get("occurrences-failed").olderThan());
    }

    @Test
    void effectiveConfigurationOfThePresetLoadsBackToTheSamePoliciesAndPartitions() throws Exception {
        Settings original = load(write(dir, "runsweep.preset = milvaion"));
        Path again = java.nio.file.Files.writeString(
                dir.resolve("effective.conf"), SettingsLoader.renderEffective(original));

        Settings reloaded = load(again);

        assertEquals(
                List.copyOf(original.policies().keySet()),
                List.copyOf(reloaded.policies().keySet()));
        original.policies()
                .forEach((name, p) -> assertEquals(
                        withLocation(p, ""), withLocation(reloaded.policies().get(name), "")));
        PartitionSettings set = reloaded.partitions().get("job-occurrences");
        assertEquals(
                original.partitions().get("job-occurrences"),
                new PartitionSettings(
                        set.name(),
                        set.table(),
                        set.column(),
                        set.interval(),
                        set.premake(),
                        set.retention(),
                        set.onExpire(),
                        set.archiveSchema(),
                        set.lockAttempts(),
                        set.lockBackoff(),
                        set.enabled(),
                        set.schedule(),
                        PRESET + ": 159"));
    }

    private static PolicySettings withLocation(PolicySettings p, String location) {
        return new PolicySettings(
                p.name(),
                p.table(),
                p.timeColumn(),
                p.timeColumnFallback(),
                p.olderThan(),
                p.statuses(),
                p.whereNull(),
                p.unreferencedBy(),
                p.keyColumn(),
                p.dependents(),
                p.batchSize(),
                p.limits(),
                p.strategy(),
                p.enabled(),
                p.schedule(),
                location);
    }

    private static PolicySettings occurrences(String name, long status, int days, int line) {
        return new PolicySettings(
                name,
                "JobOccurrences",
                "EndTime",
                Optional.of("CreatedAt"),
                Duration.ofDays(days),
                status("Status", status),
                List.of(),
                List.of(new TableColumn("FailedOccurrences", "OccurrenceId")),
                Optional.empty(),
                List.of(),
                1000,
                LIMITS,
                PolicySettings.Strategy.AUTO,
                true,
                HOURLY,
                PRESET + ": " + line);
    }

    private static Optional<StatusFilter> status(String column, Object value) {
        return Optional.of(new StatusFilter(column, List.of(value)));
    }
}

package io.runsweep.jobs.archive;

import io.runsweep.config.Settings;
import io.runsweep.jobs.TestSettings;
import io.runsweep.jobs.purge.PurgeProgress;
import io.runsweep.jobs.purge.StopSignal;
import io.runsweep.jobs.seed.PrefectSchema;
import io.runsweep.jobs.seed.PrefectSeeder;
import io.runsweep.jobs.seed.SchemaDialect;
import io.runsweep.jobs.seed.SeedOptions;
import io.runsweep.jobs.sweep.Sweep;
import io.runsweep.jobs.sweep.SweepReport;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.testing.TestRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Synthetic Prefect history for archive tests, and what a sweep took from it: every table the flow-runs policy
 * reaches, by its dependents and by Prefect's cascades (two levels deep, with flow_run.state_id pointing back).
 */
final class ArchiveFixture {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final List<String> TABLES =
            List.of("flow_run", "flow_run_state", "flow_run_input", "task_run", "task_run_state", "log", "artifact");

    private ArchiveFixture() {}

    static void seed(Database database, DatabaseKind kind, int flowRuns) throws Exception {
        try (Connection c = database.connection()) {
            PrefectSchema.create(c, SchemaDialect.of(kind));
            new PrefectSeeder(SeedOptions.builder()
                            .flowRuns(flowRuns)
                            .days(120)
                            .now(NOW)
                            .seed(11)
                            .build())
                    .seed(c, SchemaDialect.of(kind));
        }
    }

    /** The flow-runs policy of the Prefect preset, archiving as {@code archive} says (HOCON). */
    static Settings settings(Path dir, String archive) throws Exception {
        return TestSettings.load(
                dir,
                "runsweep.preset = prefect",
                "runsweep.policies.flow-runs { older-than = 60d, max-fraction = 1.0, archive { " + archive + " } }");
    }

    static SweepReport sweep(Database database, Settings settings, PurgeProgress progress) {
        return new Sweep(database, TestSettings.runOptions(), CLOCK, new StopSignal())
                .run(List.of(settings.policies().get("flow-runs")), false, progress);
    }

    /** The ids of each table, by table. */
    static Map<String, Set<String>> ids(Database database) throws Exception {
        Map<String, Set<String>> ids = new TreeMap<>();
        try (Connection c = database.connection()) {
            TestRows rows = new TestRows(c);
            for (String table : TABLES) {
                ids.put(table, rows.ids(table));
            }
        }
        return ids;
    }

    /** What left each table between two snapshots. */
    static Map<String, Set<String>> gone(Map<String, Set<String>> before, Map<String, Set<String>> after) {
        Map<String, Set<String>> gone = new TreeMap<>();
        before.forEach((table, ids) -> {
            Set<String> left = new TreeSet<>(ids);
            left.removeAll(after.get(table));
            gone.put(table, left);
        });
        return gone;
    }

    /** The ids in a policy's archive files, by table, read as any gzip reader would, member by member. */
    static Map<String, Set<String>> idsInFiles(Path policyDirectory) throws Exception {
        Map<String, Set<String>> ids = new TreeMap<>();
        for (String table : TABLES) {
            ids.put(table, new TreeSet<>());
        }
        for (ArchiveDirectory.Run run : new ArchiveDirectory(policyDirectory).runs()) {
            for (Map.Entry<String, List<Path>> e : run.files().entrySet()) {
                for (Path file : e.getValue()) {
                    for (String member : GzipParts.read(file).members()) {
                        for (String line : member.split("\n")) {
                            ids.get(e.getKey())
                                    .add(String.valueOf(JsonRows.parse(line).get("id")));
                        }
                    }
                }
            }
        }
        return ids;
    }

    /** The ids in a policy's archive tables, by source table. */
    static Map<String, Set<String>> idsInTables(Database database, String schema, String policy) throws Exception {
        Map<String, Set<String>> ids = new TreeMap<>();
        try (Connection c = database.connection()) {
            for (String table : TABLES) {
                String archive = database.kind() == DatabaseKind.SQLITE
                        ? "\"" + schema + "__" + table + "\""
                        : "\"" + schema + "\".\"" + table + "\"";
                Set<String> set = new TreeSet<>();
                try (var s = c.prepareStatement("SELECT id FROM " + archive + " WHERE runsweep_policy = ?")) {
                    s.setString(1, policy);
                    try (var rs = s.executeQuery()) {
                        while (rs.next()) {
                            set.add(rs.getString(1));
                        }
                    }
                }
                ids.put(table, set);
            }
        }
        return ids;
    }

    static boolean exists(Path path) {
        return Files.exists(path);
    }
}

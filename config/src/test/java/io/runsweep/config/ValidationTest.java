package io.runsweep.config;

import static io.runsweep.config.ConfigFiles.load;
import static io.runsweep.config.ConfigFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidationTest {
    /** Stands in for Quartz: six or seven fields. */
    private static final Function<String, Optional<String>> SIX_OR_SEVEN_FIELDS = s -> {
        int fields = s.trim().split("\\s+").length;
        return fields == 6 || fields == 7 ? Optional.empty() : Optional.of("expected 6 or 7 fields, got " + fields);
    };

    @TempDir
    Path dir;

    private List<String> problems(Path file) {
        return problems(file, Map.of());
    }

    private List<String> problems(Path file, Map<String, String> env) {
        return assertThrows(
                        SettingsException.class, () -> SettingsLoader.load(Optional.of(file), env, SIX_OR_SEVEN_FIELDS))
                .problems();
    }

    @Test
    void threeMistakesAreThreeProblemsEachWithFileAndLine() {
        Path file = write(
                dir,
                "runsweep {",
                "  preset = prefect",
                "  policies {",
                "    flow-runs.older-thn = 30d",
                "    logs.batch-size = lots",
                "    custom {",
                "      table = \"x; drop table\"",
                "      time-column = created",
                "      older-than = 30d",
                "    }",
                "  }",
                "}");

        assertEquals(
                List.of(
                        file + ": 4: unknown key 'runsweep.policies.flow-runs.older-thn' (did you mean 'older-than'?)",
                        file + ": 5: runsweep.policies.logs.batch-size: expected a whole number, got 'lots'",
                        file + ": 7: runsweep.policies.custom.table: not a valid identifier: 'x; drop table'"),
                problems(file));
    }

    @Test
    void everyImpossibleValueIsReportedAtOnce() {
        Path file = write(
                dir,
                "runsweep {",
                "  database { pool-size = 65, lock-timeout = -1s, connect-timeout = 10 }",
                "  policies {",
                "    p {",
                "      table = a.b.c",
                "      time-column = \"end time\"",
                "      older-than = 0d",
                "      statuses { column = status, values = [] }",
                "      where-null = [ok, \"not ok\"]",
                "      batch-size = 0",
                "      enabled = maybe",
                "    }",
                "    q {",
                "      table = public.job",
                "      time-column = ended",
                "      older-than = 30",
                "      statuses { column = status, values = [1, DONE, 1.5, true, [x]] }",
                "      dependents = [ {table = log, colum = job_id}, \"log\" ]",
                "      batch-size = 1000001",
                "    }",
                "    r { key-column = id }",
                "    \"bad.name\" { table = t, time-column = t, older-than = 1d }",
                "  }",
                "}",
                "runsweap.preset = prefect");

        assertEquals(
                List.of(
                        file + ": 2: runsweep.database.pool-size: must be between 1 and 64, got 65",
                        file + ": 2: runsweep.database.connect-timeout: needs a unit, e.g. 30d, 12h, 10s; got 10",
                        file + ": 2: runsweep.database.lock-timeout: must not be negative, got -1s",
                        file + ": 5: runsweep.policies.p.table: not a valid identifier: 'a.b.c'",
                        file + ": 6: runsweep.policies.p.time-column: not a valid identifier: 'end time'",
                        file + ": 7: runsweep.policies.p.older-than: must be more than 0, got 0d",
                        file
                                + ": 8: runsweep.policies.p.statuses.values: must list at least one value: an empty list would match no row",
                        file + ": 9: runsweep.policies.p.where-null[1]: not a valid identifier: 'not ok'",
                        file + ": 10: runsweep.policies.p.batch-size: must be between 1 and 1000000, got 0",
                        file + ": 11: runsweep.policies.p.enabled: expected true or false, got 'maybe'",
                        file + ": 16: runsweep.policies.q.older-than: needs a unit, e.g. 30d, 12h, 10s; got 30",
                        file
                                + ": 17: runsweep.policies.q.statuses.values[2]: expected a string, a whole number or true/false, got 1.5",
                        file
                                + ": 17: runsweep.policies.q.statuses.values[4]: expected a string, a whole number or true/false, got a list",
                        file + ": 18: unknown key 'runsweep.policies.q.dependents[0].colum' (did you mean 'column'?)",
                        file + ": 18: runsweep.policies.q.dependents[0]: missing required key 'column'",
                        file + ": 18: runsweep.policies.q.dependents[1]: expected an object { ... }, got 'log'",
                        file + ": 19: runsweep.policies.q.batch-size: must be between 1 and 1000000, got 1000001",
                        file + ": 21: runsweep.policies.r: missing required key 'table'",
                        file + ": 21: runsweep.policies.r: missing required key 'time-column'",
                        file + ": 21: runsweep.policies.r: missing required key 'older-than'",
                        file
                                + ": 22: runsweep.policies.\"bad.name\": not a valid policy name: use letters, digits, '-' and '_'",
                        file + ": 25: unknown key 'runsweap' (did you mean 'runsweep'?)"),
                problems(file));
    }

    @Test
    void unknownKeysFarFromAnyKnownOneGetNoSuggestion() {
        Path file = write(dir, "runsweep.database.colour = blue");

        assertEquals(List.of(file + ": 1: unknown key 'runsweep.database.colour'"), problems(file));
    }

    @Test
    void unknownPresetListsTheKnownOnes() {
        Path file = write(dir, "runsweep.preset = prefekt");

        assertEquals(
                List.of(file + ": 1: runsweep.preset: unknown preset 'prefekt'; known presets: prefect, milvaion"),
                problems(file));
    }

    @Test
    void unknownPresetFromTheEnvironmentNamesTheVariable() {
        SettingsException e = assertThrows(
                SettingsException.class,
                () -> SettingsLoader.load(Optional.empty(), Map.of("RUNSWEEP_PRESET", "airflow"), SIX_OR_SEVEN_FIELDS));

        assertEquals(
                List.of("environment variable RUNSWEEP_PRESET: runsweep.preset: unknown preset 'airflow';"
                        + " known presets: prefect, milvaion"),
                e.problems());
    }

    @Test
    void invalidCronIsReportedAtTheScheduleLine() {
        Path file =
                write(dir, "runsweep.preset = prefect", "runsweep.policies.logs {", "  schedule = \"every hour\"", "}");

        assertEquals(
                List.of(file + ": 3: runsweep.policies.logs.schedule: invalid cron expression 'every hour':"
                        + " expected 6 or 7 fields, got 2"),
                problems(file));
    }

    @Test
    void badDefaultsAreReportedOnceNotOncePerPolicy() {
        Path file = write(
                dir,
                "runsweep.preset = prefect",
                "runsweep.policy-defaults.schedule = \"@hourly\"",
                "runsweep.policy-defaults.batch-size = -1");

        assertEquals(
                List.of(
                        file
                                + ": 2: runsweep.policy-defaults.schedule: invalid cron expression '@hourly': expected 6 or 7 fields, got 1",
                        file + ": 3: runsweep.policy-defaults.batch-size: must be between 1 and 1000000, got -1"),
                problems(file));
    }

    @Test
    void missingFileIsOneProblem() {
        Path file = dir.resolve("nope.conf");

        assertEquals(List.of(file + ": no such file"), problems(file));
    }

    /** The text is Typesafe's own (its wording, not ours); what matters is the file and line. */
    @Test
    void syntaxErrorIsReportedWithItsLine() {
        Path file = write(dir, "runsweep {", "  database {", "    pool-size = 2", "}");

        assertEquals(List.of(file + ": 5: expecting a close parentheses ')' here, not: end of file"), problems(file));
    }

    @Test
    void failedSubstitutionIsReportedWithItsLine() {
        Path file = write(dir, "runsweep.preset = prefect", "runsweep.database.url = ${DATABASE_URL}");

        assertEquals(List.of(file + ": 2: Could not resolve substitution to a value: ${DATABASE_URL}"), problems(file));
    }

    @Test
    void substitutionsFromTheGivenEnvironmentResolve() throws Exception {
        Path file = write(dir, "runsweep.database.url = ${DATABASE_URL}");

        assertEquals(
                Optional.of("jdbc:sqlite:/data/prefect.db"),
                load(file, Map.of("DATABASE_URL", "jdbc:sqlite:/data/prefect.db"))
                        .database()
                        .url());
    }

    @Test
    void problemsInTheUsersFileStillLoadLaterWhenFixed() throws Exception {
        Path file =
                write(dir, "runsweep.policies.p { table = \"public.Job$1\", time-column = _t, older-than = 90 days }");

        PolicySettings p = load(file).policies().get("p");

        assertEquals("public.Job$1", p.table());
        assertEquals(file + ": 1", p.location());
    }
}

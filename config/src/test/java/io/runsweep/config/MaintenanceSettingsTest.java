package io.runsweep.config;

import static io.runsweep.config.ConfigFiles.load;
import static io.runsweep.config.ConfigFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaintenanceSettingsTest {
    @TempDir
    Path dir;

    @Test
    void defaultsComeFromReferenceConf() throws Exception {
        Settings settings = load(write(dir, "runsweep.preset = prefect"));

        assertEquals(
                new MaintenanceSettings(10_000, 0.2, "0 30 3 * * ?", List.of(), false, false), settings.maintenance());
    }

    @Test
    void everyKeyIsReadAndRendersBackTheSame() throws Exception {
        Settings settings = load(write(
                dir,
                "runsweep.maintenance {",
                "  vacuum-after-rows = 500",
                "  vacuum-dead-fraction = 0.05",
                "  analyze-schedule = \"0 0 2 ? * SUN\"",
                "  vacuum-full-tables = [log, \"archive.flow_run_state\"]",
                "  vacuum-full-unchecked-disk = true",
                "  sqlite.full-vacuum = true",
                "}"));
        MaintenanceSettings expected = new MaintenanceSettings(
                500, 0.05, "0 0 2 ? * SUN", List.of("log", "archive.flow_run_state"), true, true);
        assertEquals(expected, settings.maintenance());

        Path again = Files.writeString(dir.resolve("effective.conf"), SettingsLoader.renderEffective(settings));
        assertEquals(expected, load(again).maintenance());
    }

    @Test
    void badValuesAreReportedWithFileAndLine() {
        Path file = write(
                dir,
                "runsweep.maintenance {",
                "  vacuum-after-rows = -1",
                "  vacuum-dead-fraction = 2",
                "  analyze-schedule = \"daily\"",
                "  vacuum-full-tables = [\"log; drop table flow\"]",
                "  vacuum-full-unchecked-disk = maybe",
                "  sqlite.full-vaccum = true",
                "}");

        List<String> problems = assertThrows(
                        SettingsException.class,
                        () -> SettingsLoader.load(
                                Optional.of(file),
                                Map.of(),
                                s -> s.equals("daily") ? Optional.of("not a cron expression") : Optional.empty()))
                .problems();

        assertEquals(
                List.of(
                        file + ": 2: runsweep.maintenance.vacuum-after-rows: must be between 0 and 2147483647, got -1",
                        file + ": 3: runsweep.maintenance.vacuum-dead-fraction: must be between 0.0 and 1.0, got 2.0",
                        file
                                + ": 4: runsweep.maintenance.analyze-schedule: invalid cron expression 'daily': not a cron expression",
                        file
                                + ": 5: runsweep.maintenance.vacuum-full-tables[0]: not a valid identifier: 'log; drop table flow'",
                        file
                                + ": 6: runsweep.maintenance.vacuum-full-unchecked-disk: expected true or false, got 'maybe'",
                        file
                                + ": 7: unknown key 'runsweep.maintenance.sqlite.full-vaccum' (did you mean 'full-vacuum'?)"),
                problems);
    }
}

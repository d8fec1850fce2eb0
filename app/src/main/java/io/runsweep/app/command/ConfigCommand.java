package io.runsweep.app.command;

import io.runsweep.app.process.Environment;
import io.runsweep.app.process.ExitCode;
import io.runsweep.config.Settings;
import io.runsweep.config.SettingsLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = {
            "Check the configuration and print it as Runsweep will use it: the file, over the preset,"
                    + " over the defaults; passwords masked.",
            "Exit 0 when it is valid, 2 with every problem listed when not."
        })
public final class ConfigCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "HOCON configuration (default: $RUNSWEEP_CONFIG)")
    Path config;

    private final Environment environment;

    public ConfigCommand(Environment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = environment.settings(config);
        spec.commandLine().getOut().print(SettingsLoader.renderEffective(settings));
        spec.commandLine()
                .getOut()
                .println("# database: "
                        + environment.databaseUrl(settings.database()).redacted());
        return ExitCode.OK;
    }
}

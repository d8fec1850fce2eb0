package io.runsweep.app.process;

import io.runsweep.config.DatabaseSettings;
import io.runsweep.config.Secret;
import io.runsweep.config.Settings;
import io.runsweep.config.SettingsException;
import io.runsweep.config.SettingsLoader;
import io.runsweep.jobs.common.Connections;
import io.runsweep.sql.Database;
import io.runsweep.sql.DatabaseUrl;
import io.runsweep.sql.connect.Databases;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Where the program meets the outside: environment variables, the configuration file, the database. */
public final class Environment {
    private final Map<String, String> variables;
    private final Terminal terminal;

    /** These variables, and no terminal: nothing is ever asked. */
    public Environment(Map<String, String> variables) {
        this(variables, Terminal.NONE);
    }

    public Environment(Map<String, String> variables, Terminal terminal) {
        this.variables = variables;
        this.terminal = terminal;
    }

    public static Environment system() {
        return new Environment(System.getenv(), Terminal.system());
    }

    public Map<String, String> variables() {
        return variables;
    }

    public Terminal terminal() {
        return terminal;
    }

    /** {@code --config FILE}, else {@code RUNSWEEP_CONFIG}, else no file: the preset and defaults alone. */
    public Optional<Path> configFile(Path option) {
        if (option != null) {
            return Optional.of(option);
        }
        String fromEnv = variables.getOrDefault("RUNSWEEP_CONFIG", "");
        return fromEnv.isBlank() ? Optional.empty() : Optional.of(Path.of(fromEnv));
    }

    public Settings settings(Path option) throws SettingsException {
        return SettingsLoader.load(configFile(option), variables, Crons::problem);
    }

    public DatabaseUrl databaseUrl(DatabaseSettings database) {
        DatabaseUrl url;
        try {
            url = database.url().isPresent()
                    ? DatabaseUrl.parse(database.url().get())
                    : DatabaseUrl.prefectDefault(variables, Path.of(System.getProperty("user.home")));
        } catch (IllegalArgumentException e) {
            throw new UsageException("runsweep.database.url: " + e.getMessage());
        }
        return url.withCredentials(database.user(), database.password().map(Secret::reveal));
    }

    public Database open(DatabaseSettings database, boolean readOnly) {
        return Databases.open(databaseUrl(database), Connections.options(database, readOnly));
    }
}

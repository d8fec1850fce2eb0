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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where the program meets the outside: environment variables, the configuration file, the database. */
public final class Environment {
    private final Map<String, String> variables;
    private Optional<Path> loadedFile = Optional.empty();
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
        Settings settings = SettingsLoader.load(configFile(option), variables, Crons::problem);
        loadedFile = settings.source();
        return settings;
    }

    /**
     * The database: {@code runsweep.database.url}; else the one Prefect's environment names; else, only when no
     * configuration file was given, the default Prefect install's {@code ~/.prefect/prefect.db}. A file that names
     * no database must not quietly send a sweep to another one.
     */
    public DatabaseUrl databaseUrl(DatabaseSettings database) {
        DatabaseUrl url;
        Path home = Path.of(System.getProperty("user.home"));
        try {
            if (database.url().isPresent()) {
                url = DatabaseUrl.parse(database.url().get());
            } else if (loadedFile.isPresent()) {
                url = DatabaseUrl.prefectConfigured(variables, home).orElseThrow(this::noDatabase);
            } else {
                url = DatabaseUrl.prefectDefault(variables, home);
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException("runsweep.database.url: " + e.getMessage());
        }
        return url.withCredentials(database.user(), database.password().map(Secret::reveal));
    }

    private UsageException noDatabase() {
        List<String> looked = new ArrayList<>(List.of("RUNSWEEP_DATABASE_URL"));
        looked.addAll(DatabaseUrl.PREFECT_VARIABLES);
        return new UsageException(loadedFile.orElseThrow() + ": runsweep.database.url is not set, and none of the"
                + " environment variables " + String.join(", ", looked) + " is set. Name the database in the file"
                + " (runsweep.database.url = \"postgresql://user@host:5432/prefect\" or \"sqlite:////path/prefect.db\")"
                + " or in one of those variables; with a configuration file, Runsweep never falls back to"
                + " ~/.prefect/prefect.db");
    }

    public Database open(DatabaseSettings database, boolean readOnly) {
        return Databases.open(databaseUrl(database), Connections.options(database, readOnly));
    }
}

package io.runsweep.app.daemon;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.runsweep.jobs.common.Errors;
import io.runsweep.jobs.metrics.MetricNames;
import io.runsweep.sql.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Whether the daemon is ready: its database answered the last trivial query in time. Read by
 * /health/ready and runsweep_database_up; written by the daemon's health thread only, so a scrape or a
 * probe never waits on the database itself.
 */
public final class DatabaseHealth {
    /** @param reason one line for /health/ready when not ready */
    public record State(boolean ready, boolean databaseUp, String reason) {}

    private volatile State state = new State(false, false, "starting: the database has not been reached yet");
    private volatile boolean stopping;

    public DatabaseHealth(MeterRegistry registry) {
        // Held strongly: a gauge holds its object weakly by default, and reads NaN once nothing else holds it.
        Gauge.builder(MetricNames.DATABASE_UP.micrometerName(), this, h -> h.state.databaseUp() ? 1 : 0)
                .description(MetricNames.DATABASE_UP.description())
                .strongReference(true)
                .register(registry);
    }

    public State state() {
        return state;
    }

    /** Runs {@code SELECT 1} and records whether it answered within {@code timeout}. */
    public void probe(Database database, Duration timeout) {
        try (Connection connection = database.connection();
                Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, (timeout.toMillis() + 999) / 1000));
            statement.execute("SELECT 1");
            state = stopping ? new State(false, true, "stopping") : new State(true, true, "ready");
        } catch (SQLException e) {
            down("the database did not answer SELECT 1: " + Errors.describe(e));
        }
    }

    public void down(String reason) {
        state = new State(false, false, stopping ? "stopping" : reason.replace('\n', ' '));
    }

    /** Not ready from now on, whatever the database says: no new work should be sent this way. */
    public void stopping() {
        stopping = true;
        state = new State(false, state.databaseUp(), "stopping");
    }
}

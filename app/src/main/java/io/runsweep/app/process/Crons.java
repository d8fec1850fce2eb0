package io.runsweep.app.process;

import java.text.ParseException;
import java.util.Optional;
import org.quartz.CronExpression;

/** Checks schedules with Quartz's own parser, so that what validates is exactly what the daemon runs. */
public final class Crons {
    private Crons() {}

    public static Optional<String> problem(String expression) {
        try {
            CronExpression.validateExpression(expression);
            return Optional.empty();
        } catch (ParseException e) {
            return Optional.of(
                    e.getMessage()
                            + " (Quartz cron: six or seven fields: second minute hour day-of-month month day-of-week [year], e.g. \"0 0 3 * * ?\")");
        }
    }
}

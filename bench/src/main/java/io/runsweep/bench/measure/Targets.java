package io.runsweep.bench.measure;

import static io.runsweep.bench.measure.BenchFormat.time;

import io.runsweep.sql.DatabaseKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Issue 3's targets for the engine, judged from one scenario's numbers. */
public final class Targets {
    private static final Duration LONGEST_TRANSACTION = Duration.ofMillis(500);
    private static final Duration STEADY_SLACK = Duration.ofMillis(50);
    private static final Duration WRITER_WAIT = Duration.ofMillis(250);

    private Targets() {}

    public static List<TargetCheck> of(ScenarioResult result) {
        MethodResult engine = result.result(Method.ENGINE);
        if (engine.error().isPresent()) {
            return List.of(new TargetCheck(
                    "runsweep engine completes",
                    false,
                    "it failed: " + engine.error().get()));
        }
        if (result.kind() == DatabaseKind.SQLITE) {
            return sqliteBacklog(result, engine);
        }
        return result.scenario() == Scenario.BACKLOG ? postgresBacklog(result, engine) : postgresSteady(result, engine);
    }

    private static List<TargetCheck> postgresBacklog(ScenarioResult result, MethodResult engine) {
        MethodResult loop = result.result(Method.ID_IN_LOOP);
        double faster = engine.time().isZero()
                ? 0
                : (double) loop.time().toNanos() / engine.time().toNanos();
        return List.of(
                atMostTimesOneDelete(result, engine, 1.10),
                new TargetCheck(
                        "runsweep engine at least 3x faster than the Id IN loop",
                        faster >= 3.0,
                        times(faster) + " faster (" + time(engine.time()) + " vs " + time(loop.time()) + ")"),
                new TargetCheck(
                        "no runsweep engine transaction longer than 0.5 s",
                        engine.longestTransaction().compareTo(LONGEST_TRANSACTION) <= 0,
                        "longest " + time(engine.longestTransaction()) + ", transaction "
                                + engine.longest().number() + " of " + engine.transactions()));
    }

    private static List<TargetCheck> postgresSteady(ScenarioResult result, MethodResult engine) {
        MethodResult oneDelete = result.result(Method.ONE_DELETE);
        double ratio = result.ratioToOneDelete(engine);
        Duration more = engine.time().minus(oneDelete.time());
        return List.of(new TargetCheck(
                "runsweep engine at most 1.5x one DELETE, or at most 50 ms more",
                ratio <= 1.5 || more.compareTo(STEADY_SLACK) <= 0,
                times(ratio) + ", " + (more.isNegative() ? "-" + time(more.negated()) : "+" + time(more)) + " ("
                        + time(engine.time()) + " vs " + time(oneDelete.time()) + ")"));
    }

    private static List<TargetCheck> sqliteBacklog(ScenarioResult result, MethodResult engine) {
        List<TargetCheck> checks = new ArrayList<>();
        checks.add(atMostTimesOneDelete(result, engine, 1.3));
        WriterStats writer = engine.writer().orElseThrow();
        checks.add(new TargetCheck(
                "the writer never waits more than 250 ms during the runsweep engine",
                writer.longestWait().compareTo(WRITER_WAIT) <= 0,
                "longest wait " + time(writer.longestWait())));
        checks.add(new TargetCheck(
                "the writer never fails during the runsweep engine",
                writer.failures() == 0,
                writer.failures() + " failures in " + writer.inserts() + " inserts"));
        return checks;
    }

    /** Three decimals, so that a ratio just over a bound never prints as the bound itself. */
    private static String times(double ratio) {
        return String.format(Locale.ROOT, "%.3fx", ratio);
    }

    private static TargetCheck atMostTimesOneDelete(ScenarioResult result, MethodResult engine, double most) {
        double ratio = result.ratioToOneDelete(engine);
        return new TargetCheck(
                String.format(Locale.ROOT, "runsweep engine at most %.2fx one DELETE", most),
                ratio <= most,
                times(ratio) + " (" + time(engine.time()) + " vs "
                        + time(result.result(Method.ONE_DELETE).time()) + ")");
    }
}

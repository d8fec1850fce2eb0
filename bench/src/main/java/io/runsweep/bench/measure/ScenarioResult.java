package io.runsweep.bench.measure;

import io.runsweep.sql.DatabaseKind;
import java.util.List;
import java.util.Optional;

/**
 * The three methods on one database and scenario, each run on its own identical copy of the table.
 *
 * @param server the database product and version, as the server reports it
 * @param table the table the methods deleted from
 * @param rows rows seeded into each copy
 * @param tableBytes the size of one copy before deleting, indexes included
 * @param expectedDeletes rows the data set was built to have expire
 * @param methods in {@link Method} order
 * @param loadAverage the system's load average when the scenario ended: on a shared machine, how much else ran
 * @param cores processors the machine has, to read the load average by
 * @param engineWalWhole PostgreSQL: why the engine's batches wrote their WAL's full-page images whole, as the server
 *     does, instead of compressed with lz4 (runsweep.batch.compress-wal); empty where they compressed them, and on
 *     SQLite
 */
public record ScenarioResult(
        DatabaseKind kind,
        String server,
        Scenario scenario,
        String table,
        long rows,
        long tableBytes,
        long expectedDeletes,
        List<MethodResult> methods,
        double loadAverage,
        int cores,
        Optional<String> engineWalWhole) {

    public ScenarioResult {
        methods = List.copyOf(methods);
    }

    /** How many times each method ran, each time on a fresh copy. */
    public int runs() {
        return methods.get(0).runTimes().size();
    }

    public MethodResult result(Method method) {
        return methods.stream().filter(m -> m.method() == method).findFirst().orElseThrow();
    }

    /** Its time divided by one DELETE's. */
    public double ratioToOneDelete(MethodResult method) {
        long oneDelete = result(Method.ONE_DELETE).time().toNanos();
        return oneDelete == 0 ? 0 : (double) method.time().toNanos() / oneDelete;
    }

    /**
     * Every method succeeded, deleted exactly the rows the data set was built to have expire, and left
     * the same rows behind.
     */
    public boolean sameRows() {
        RowDigest reference = methods.get(0).remaining();
        return methods.stream()
                .allMatch(m -> m.error().isEmpty()
                        && m.rowsDeleted() == expectedDeletes
                        && m.remaining().equals(reference)
                        && m.remaining().rows() == rows - expectedDeletes);
    }

    public List<TargetCheck> targets() {
        return Targets.of(this);
    }

    /** More processes wanted to run than there were cores, so every time here may be inflated. */
    public boolean busy() {
        return loadAverage > cores;
    }

    /** One method's three results in one place, made with the load of the machine now. */
    public static ScenarioResult measuredNow(
            DatabaseKind kind,
            String server,
            Scenario scenario,
            String table,
            long rows,
            long tableBytes,
            long expectedDeletes,
            List<MethodResult> methods,
            Optional<String> engineWalWhole) {
        return new ScenarioResult(
                kind,
                server,
                scenario,
                table,
                rows,
                tableBytes,
                expectedDeletes,
                methods,
                Machine.loadAverage(),
                Runtime.getRuntime().availableProcessors(),
                engineWalWhole);
    }
}

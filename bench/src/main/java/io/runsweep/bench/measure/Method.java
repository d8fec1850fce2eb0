package io.runsweep.bench.measure;

import java.util.EnumSet;
import java.util.Set;

/** The ways of deleting that the bench compares, in the order it runs and prints them. */
public enum Method {
    /** Everything in one statement and one transaction. */
    ONE_DELETE("one DELETE"),
    /** {@code DELETE ... WHERE id IN (SELECT id ... LIMIT 10000)}, a commit per batch: Milvaion's and Prefect's loop. */
    ID_IN_LOOP("Id IN loop"),
    /** Runsweep's purge engine, planned and run exactly as {@code runsweep sweep} runs a policy. */
    ENGINE("runsweep engine"),
    /**
     * The engine with {@code runsweep.database.pool-size = 1}, run only when asked ({@code --also-one-connection}):
     * having no connection to spare, it counts the rows that match before its first batch, where the engine with
     * the default pool counts them beside its batches, on a second connection.
     */
    ENGINE_ONE_CONNECTION("engine, pool 1"),
    /**
     * The engine with {@code runsweep.batch.compress-wal = false}, run only when asked ({@code --also-server-wal}):
     * its batches write their WAL's full-page images as the server does, where the engine compresses them with lz4
     * when the server has it and lets the role say so.
     */
    ENGINE_SERVER_WAL("engine, server's WAL");

    /** The methods every scenario runs. */
    public static final Set<Method> COMPARED = EnumSet.of(ONE_DELETE, ID_IN_LOOP, ENGINE);

    /** Rows per batch of the Id IN loop, as Milvaion's maintenance guide has it. */
    public static final int LOOP_BATCH = 10_000;

    private final String label;

    Method(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}

package io.runsweep.sql.postgresql;

/**
 * One DDL statement Runsweep may run, with nothing bound: PostgreSQL takes no parameters in DDL.
 *
 * @param inTransaction false for statements PostgreSQL refuses inside a transaction block
 *     ({@code DETACH PARTITION ... CONCURRENTLY}); those run in auto-commit mode
 */
public record Ddl(String text, boolean inTransaction) {

    public static Ddl transactional(String text) {
        return new Ddl(text, true);
    }
}

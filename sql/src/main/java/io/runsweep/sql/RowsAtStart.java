package io.runsweep.sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The rows a PostgreSQL policy matched when the run began, counted in one snapshot, and that snapshot's xmin: every
 * transaction before it had ended. A row version written before it, that a batch deletes, was one of the counted
 * rows: it was committed then, and still there (the policy's condition reads only the row's own columns). The
 * batches of a range sweep, and those in order of time, take only such versions, so when they have deleted as many
 * rows as were counted, every counted row was deleted in the version counted, none escaped them, and no count after
 * them is needed. A row changed meanwhile has a newer version, which the batches leave, and the count after them
 * then finds. A row written since with an old time is left for the next run, as one DELETE begun at the start
 * would leave it.
 *
 * @param rows the rows matching when counted
 * @param xmin the snapshot's xmin, a 64-bit transaction id ({@code xid8})
 */
public record RowsAtStart(long rows, long xmin) {
    /** Runs a count {@link Dialect#countAtStart} planned, prepared as {@code count}, and reads its one row. */
    public static RowsAtStart read(PreparedStatement count) throws SQLException {
        try (ResultSet rs = count.executeQuery()) {
            rs.next();
            return new RowsAtStart(rs.getLong(1), Long.parseLong(rs.getString(2)));
        }
    }

    /** The xmin as the 32-bit {@code xid} a row version's own xmin is compared with, as text to bind. */
    public String xid() {
        return xid(xmin);
    }

    /** A 64-bit transaction id ({@code xid8}) as the 32-bit {@code xid} text a row version's xmin compares with. */
    public static String xid(long xid8) {
        return Long.toString(xid8 & 0xFFFF_FFFFL);
    }
}

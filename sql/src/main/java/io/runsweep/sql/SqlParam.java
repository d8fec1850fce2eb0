package io.runsweep.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One bound parameter of a planned statement. Values are always bound, never spliced into SQL text.
 * Two kinds are filled in per batch: the batch size, and the keys of the rows a batch deleted.
 */
public sealed interface SqlParam {

    void bind(Connection connection, PreparedStatement statement, int index, BatchValues batch) throws SQLException;

    /** How the dry run shows this parameter. */
    String display();

    /**
     * What a batch supplies to its statements: a row limit, the keys it deleted, the range {@code [from, to)} of
     * heap blocks (PostgreSQL) or rowids (SQLite) it covers, or the times {@code [timeFrom, timeTo)} it covers (as
     * ISO 8601 text, see {@link KeysetBatch}); and, for PostgreSQL batches that take only counted rows, the oldest
     * transaction running when the run counted its rows ({@link StartXid}).
     */
    record BatchValues(
            int limit, List<Object> keys, long from, long to, String timeFrom, String timeTo, String startXid) {
        public static final BatchValues NONE = new BatchValues(0, List.of(), 0, 0, null, null, null);

        public BatchValues {
            keys = List.copyOf(keys);
        }

        public BatchValues(int limit, List<Object> keys) {
            this(limit, keys, 0, 0, null, null, null);
        }

        public static BatchValues range(long from, long to) {
            return new BatchValues(0, List.of(), from, to, null, null, null);
        }

        /** The rows from {@code timeFrom} on, up to {@code limit} of them (for the statement finding where they end). */
        public static BatchValues fromTime(String timeFrom, int limit) {
            return new BatchValues(limit, List.of(), 0, 0, timeFrom, null, null);
        }

        /** The rows whose time is at least {@code timeFrom} and less than {@code timeTo}. */
        public static BatchValues betweenTimes(String timeFrom, String timeTo) {
            return new BatchValues(0, List.of(), 0, 0, timeFrom, timeTo, null);
        }

        /** These values, with the transaction id {@link StartXid} binds. */
        public BatchValues withStartXid(String xid) {
            return new BatchValues(limit, keys, from, to, timeFrom, timeTo, xid);
        }
    }

    /** A value known at plan time: the cutoff, a status. */
    record Value(Object value, int sqlType, String shown) implements SqlParam {
        @Override
        public void bind(Connection c, PreparedStatement s, int index, BatchValues batch) throws SQLException {
            s.setObject(index, value, sqlType);
        }

        @Override
        public String display() {
            return shown;
        }
    }

    /** The number of rows one batch takes. */
    record BatchLimit() implements SqlParam {
        @Override
        public void bind(Connection c, PreparedStatement s, int index, BatchValues batch) throws SQLException {
            s.setInt(index, batch.limit());
        }

        @Override
        public String display() {
            return "<batch size>";
        }
    }

    /**
     * One end of a batch's range. PostgreSQL reads it as the tuple id {@code (block,0)}; the server turns
     * the text into a {@code tid}, so the value is still bound, never spliced.
     */
    record RangeBound(boolean upper, boolean tid) implements SqlParam {
        @Override
        public void bind(Connection c, PreparedStatement s, int index, BatchValues batch) throws SQLException {
            long value = upper ? batch.to() : batch.from();
            if (tid) {
                s.setObject(index, "(" + value + ",0)", java.sql.Types.OTHER);
            } else {
                s.setLong(index, value);
            }
        }

        @Override
        public String display() {
            return upper ? "<end of the batch's range>" : "<start of the batch's range>";
        }
    }

    /**
     * One end of the times a batch covers, bound as the ISO 8601 text the batch before printed, which the
     * statement reads back as the column's type: the value is still bound, never spliced.
     */
    record TimeBound(boolean upper) implements SqlParam {
        @Override
        public void bind(Connection c, PreparedStatement s, int index, BatchValues batch) throws SQLException {
            s.setString(index, upper ? batch.timeTo() : batch.timeFrom());
        }

        @Override
        public String display() {
            return upper ? "<where the batch ends>" : "<where the last batch ended>";
        }
    }

    /**
     * The oldest transaction that was running when a PostgreSQL range sweep counted its rows, as the text of a
     * 32-bit {@code xid}: its batches take only the row versions written before it (see {@link RowsAtStart}).
     */
    record StartXid() implements SqlParam {
        @Override
        public void bind(Connection c, PreparedStatement s, int index, BatchValues batch) throws SQLException {
            if (batch.startXid() == null) {
                // NULL would make the batch take nothing, and EXPLAIN show no scan at all.
                throw new IllegalStateException("a batch that takes only counted rows was given no count's xid");
            }
            s.setString(index, batch.startXid());
        }

        @Override
        public String display() {
            return "<the oldest transaction running when the rows were counted before the first batch>";
        }
    }

    /** The keys of the parent rows a batch deleted, bound the way the dialect reads a list. */
    record DeletedKeys(KeyListBinder binder) implements SqlParam {
        @Override
        public void bind(Connection c, PreparedStatement s, int index, BatchValues batch) throws SQLException {
            binder.bind(c, s, index, batch.keys());
        }

        @Override
        public String display() {
            return "<keys of the rows this batch deleted>";
        }
    }

    /**
     * The keys {@code select} finds, read on the statement's own connection when it is bound, and bound as a list.
     * A SQLite batch finds its rows with one statement and deletes them by rowid with another: a function call
     * anywhere in a DELETE (the test of a time column's form) makes SQLite keep a statement journal of every page
     * the DELETE changes, which made each batch about 40% slower. In the batch's transaction, which holds the
     * write lock, nothing changes between the two.
     */
    record SelectedKeys(Sql select, KeyListBinder binder) implements SqlParam {
        @Override
        public void bind(Connection c, PreparedStatement s, int index, BatchValues batch) throws SQLException {
            List<Object> keys = new ArrayList<>();
            try (PreparedStatement query = select.prepare(c, batch);
                    ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getObject(1));
                }
            }
            binder.bind(c, s, index, keys);
        }

        /** The SELECT itself is shown below the statement that uses it (see {@link Sql#display()}). */
        @Override
        public String display() {
            return "<the rowids the SELECT below finds, in the same transaction>";
        }
    }

    /** PostgreSQL binds a typed array; SQLite a JSON array read back with json_each. */
    @FunctionalInterface
    interface KeyListBinder {
        void bind(Connection c, PreparedStatement s, int index, List<Object> keys) throws SQLException;
    }
}

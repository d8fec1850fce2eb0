package io.runsweep.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The WHERE clause of a retention policy: {@code time < cutoff [AND status IN (...)] [AND c IS NULL ...]}.
 * A NULL time never satisfies {@code <}, so rows that never finished are never matched.
 */
public record Predicate(String text, List<SqlParam> params) {

    public Predicate {
        params = List.copyOf(params);
    }

    /**
     * @param fallback judges rows whose {@code time} column is NULL; null for none
     * @param unreferencedBy columns of other tables that must not hold the row's {@code key}
     */
    public static Predicate of(
            TableName table,
            Older time,
            Older fallback,
            Column status,
            List<SqlParam> statusValues,
            List<Column> mustBeNull,
            Column key,
            List<Reference> unreferencedBy) {
        StringBuilder text = new StringBuilder();
        List<SqlParam> params = new ArrayList<>();
        if (fallback == null) {
            text.append(time.condition());
            params.addAll(time.params());
        } else {
            text.append("(")
                    .append(time.condition())
                    .append(" OR (")
                    .append(time.column().quoted())
                    .append(" IS NULL AND ")
                    .append(fallback.condition())
                    .append("))");
            params.addAll(time.params());
            params.addAll(fallback.params());
        }
        if (status != null) {
            StringJoiner marks = new StringJoiner(", ", " AND " + status.quoted() + " IN (", ")");
            statusValues.forEach(v -> marks.add("?"));
            text.append(marks);
            params.addAll(statusValues);
        }
        for (Column column : mustBeNull) {
            text.append(" AND ").append(column.quoted()).append(" IS NULL");
        }
        for (Reference reference : unreferencedBy) {
            // A table that refers to itself (a parent run) is named twice: unaliased, the inner name would hide the
            // outer one, and the test would ask whether a row refers to itself.
            boolean itself = reference.table().name().equalsIgnoreCase(table.name());
            String referrer =
                    itself ? Identifiers.quote("referrer") : reference.table().quoted();
            text.append(" AND NOT EXISTS (SELECT 1 FROM ")
                    .append(reference.table().quoted())
                    .append(itself ? " AS " + referrer : "")
                    .append(" WHERE ")
                    .append(referrer)
                    .append('.')
                    .append(Identifiers.quote(reference.column()))
                    .append(" = ")
                    .append(table.quoted())
                    .append('.')
                    .append(key.quoted())
                    .append(')');
        }
        return new Predicate(text.toString(), params);
    }

    /**
     * This predicate, and only rows whose {@code column} is set but names no row of {@code parent} by its
     * {@code parentKey}: rows a deleted parent left behind.
     */
    public Predicate andParentMissing(TableName table, Column column, TableName parent, Column parentKey) {
        String text = this.text + " AND " + column.quoted() + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                + parent.quoted() + " WHERE " + parent.quoted() + '.' + parentKey.quoted() + " = " + table.quoted()
                + '.' + column.quoted() + ')';
        return new Predicate(text, params);
    }

    /**
     * The condition that {@code column} holds a time before the cutoff, with the cutoff bound in each storage
     * form the column holds: {@code "end_time" < ?}, or on SQLite one comparison per form, each limited to the
     * values of its form.
     */
    public record Older(Column column, String condition, List<SqlParam> params) {
        public Older {
            params = List.copyOf(params);
        }

        /** {@code column < cutoff}, for a column whose type admits one form only. */
        public Older(Column column, SqlParam cutoff) {
            this(column, column.quoted() + " < ?", List.of(cutoff));
        }

        /** Any of {@code comparisons}, one per form, each with one placeholder for its cutoff. */
        public static Older anyOf(Column column, List<String> comparisons, List<SqlParam> cutoffs) {
            String condition = comparisons.size() == 1
                    ? "(" + comparisons.get(0) + ")"
                    : "((" + String.join(") OR (", comparisons) + "))";
            return new Older(column, condition, cutoffs);
        }
    }

    /** A column of another table that refers to the policy's rows. */
    public record Reference(TableName table, String column) {}
}

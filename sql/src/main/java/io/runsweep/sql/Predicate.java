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
            text.append(time.column().quoted()).append(" < ?");
            params.add(time.cutoff());
        } else {
            text.append("(")
                    .append(time.column().quoted())
                    .append(" < ? OR (")
                    .append(time.column().quoted())
                    .append(" IS NULL AND ")
                    .append(fallback.column().quoted())
                    .append(" < ?))");
            params.add(time.cutoff());
            params.add(fallback.cutoff());
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
            text.append(" AND NOT EXISTS (SELECT 1 FROM ")
                    .append(reference.table().quoted())
                    .append(" WHERE ")
                    .append(reference.table().quoted())
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

    /** {@code column < cutoff}, the cutoff bound in the column's own storage form. */
    public record Older(Column column, SqlParam cutoff) {}

    /** A column of another table that refers to the policy's rows. */
    public record Reference(TableName table, String column) {}
}

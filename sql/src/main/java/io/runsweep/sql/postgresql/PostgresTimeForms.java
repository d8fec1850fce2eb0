package io.runsweep.sql.postgresql;

import io.runsweep.sql.Column;
import io.runsweep.sql.Predicate;
import io.runsweep.sql.SqlParam;
import io.runsweep.sql.Table;
import io.runsweep.sql.TimeForm;
import io.runsweep.sql.TimeForms;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The forms of time in a PostgreSQL column. A timestamp, timestamptz or date column holds one form, its type;
 * a text column holds whatever the application wrote, and an integer column seconds or milliseconds, so those
 * are read whole first, as on SQLite. Text is compared byte by byte ({@code COLLATE "C"}): a language's
 * collation may order {@code ' '}, {@code '-'} and {@code 'T'} otherwise than by time.
 */
final class PostgresTimeForms {
    static final String HOW_TO_REWRITE =
            "PostgreSQL's to_char(value::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') writes a time"
                    + " that has an offset as UTC text";

    private static final DateTimeFormatter SHOWN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);
    private static final String DAY = "[0-9]{4}-[01][0-9]-[0-3][0-9]";
    private static final String TIME = "[0-2][0-9]:[0-5][0-9]:[0-6][0-9](\\.[0-9]{1,9})?";
    private static final String UTC = "(Z|[+-]00:?00)?$'";

    private PostgresTimeForms() {}

    static Predicate.Older older(Connection connection, Table table, Column column, Instant cutoff)
            throws SQLException {
        Instant at = TimeForm.wholeSecond(cutoff);
        String shown = "'" + SHOWN.format(at) + "'";
        return switch (column.category()) {
            case TIMESTAMP_TZ ->
                new Predicate.Older(
                        column, new SqlParam.Value(at.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE, shown));
            // A timestamp without time zone is taken to hold UTC, as the schedulers we serve write it.
            case TIMESTAMP ->
                new Predicate.Older(
                        column,
                        new SqlParam.Value(at.atOffset(ZoneOffset.UTC).toLocalDateTime(), Types.TIMESTAMP, shown));
            case DATE -> new Predicate.Older(column, new SqlParam.Value(firstDayFrom(at), Types.DATE, shown));
            case INTEGER, TEXT -> read(connection, table, column, at);
            default ->
                throw new IllegalArgumentException("column \"" + column.name() + "\" of \"" + table.name()
                        + "\" is of type " + column.typeName() + ", not a timestamp");
        };
    }

    /** A date is before the cutoff when its midnight is: every date before the first one not before it. */
    private static LocalDate firstDayFrom(Instant at) {
        LocalDate day = at.atOffset(ZoneOffset.UTC).toLocalDate();
        return at.equals(day.atStartOfDay().toInstant(ZoneOffset.UTC)) ? day : day.plusDays(1);
    }

    private static Predicate.Older read(Connection connection, Table table, Column column, Instant at)
            throws SQLException {
        TimeForms forms = establish(connection, table, column);
        forms.requireComparable(table, column, HOW_TO_REWRITE);
        TimeForm ifEmpty = column.category() == Column.Category.TEXT ? TimeForm.TEXT : TimeForm.EPOCH_SECONDS;
        List<String> branches = new ArrayList<>();
        List<SqlParam> params = new ArrayList<>();
        for (TimeForm form : forms.compared(ifEmpty)) {
            branches.add(comparison(form, column.quoted()));
            params.add(form.cutoff(at));
        }
        return Predicate.Older.anyOf(column, branches, params);
    }

    /** {@code <values of the form> AND c < ?}, so that the column's index serves the range. */
    private static String comparison(TimeForm form, String c) {
        return valuesOf(form, c) + " AND " + sorted(form, c) + " < ?";
    }

    /** A condition true for values of {@code form} among the forms Runsweep compares. */
    private static String valuesOf(TimeForm form, String x) {
        return switch (form) {
            case TEXT -> "substr(" + x + ", 11, 1) = ' '";
            case TEXT_T -> "substr(" + x + ", 11, 1) = 'T'";
            case DATE_TEXT -> "length(" + x + ") = 10";
            case EPOCH_SECONDS -> x + " >= 0";
            case EPOCH_MILLIS -> x + " >= " + TimeForm.MILLIS_FROM;
            default -> throw new IllegalArgumentException("no comparison for " + form.label());
        };
    }

    /** Text compares byte by byte. */
    private static String sorted(TimeForm form, String x) {
        return form == TimeForm.EPOCH_SECONDS || form == TimeForm.EPOCH_MILLIS ? x : x + " COLLATE \"C\"";
    }

    /** The earliest value of each form a text or integer column may hold, one column each. */
    static List<String> minimums(Column.Category category, String x) {
        List<TimeForm> forms = category == Column.Category.TEXT
                ? List.of(TimeForm.TEXT, TimeForm.TEXT_T, TimeForm.DATE_TEXT)
                : List.of(TimeForm.EPOCH_SECONDS, TimeForm.EPOCH_MILLIS);
        return forms.stream()
                .map(form -> "min(CASE WHEN " + valuesOf(form, x) + " THEN " + sorted(form, x) + " END)")
                .toList();
    }

    /** Reads every non-NULL value once; the forms not listed by {@link #conditions} take the rest. */
    static TimeForms establish(Connection connection, Table table, Column column) throws SQLException {
        String c = column.quoted();
        Map<TimeForm, String> conditions = conditions(column.category(), c);
        StringJoiner counts = new StringJoiner(
                ", ", "SELECT ", ", count(*) FROM " + table.name().quoted() + " WHERE " + c + " IS NOT NULL");
        conditions.values().forEach(condition -> counts.add("count(*) FILTER (WHERE " + condition + ")"));
        Map<TimeForm, Long> rows = new EnumMap<>(TimeForm.class);
        try (PreparedStatement s = connection.prepareStatement(counts.toString());
                ResultSet rs = s.executeQuery()) {
            rs.next();
            int i = 1;
            long listed = 0;
            for (TimeForm form : conditions.keySet()) {
                rows.put(form, rs.getLong(i++));
                listed += rows.get(form);
            }
            rows.put(rest(column.category()), rs.getLong(i) - listed);
        }
        Map<TimeForm, String> examples = new EnumMap<>(TimeForm.class);
        for (Map.Entry<TimeForm, Long> e : rows.entrySet()) {
            if (!e.getKey().compared() && e.getValue() > 0) {
                String where = conditions.containsKey(e.getKey())
                        ? conditions.get(e.getKey())
                        : "NOT (" + String.join(" OR ", conditions.values()) + ")";
                examples.put(e.getKey(), example(connection, table, column, where));
            }
        }
        return new TimeForms(rows, examples);
    }

    private static TimeForm rest(Column.Category category) {
        return category == Column.Category.TEXT ? TimeForm.OTHER_TEXT : TimeForm.OTHER_NUMBER;
    }

    /** The condition of each form but the rest; they exclude each other. */
    private static Map<TimeForm, String> conditions(Column.Category category, String c) {
        Map<TimeForm, String> conditions = new LinkedHashMap<>();
        if (category == Column.Category.TEXT) {
            conditions.put(TimeForm.TEXT, c + " ~ '^" + DAY + " " + TIME + UTC);
            conditions.put(TimeForm.TEXT_T, c + " ~ '^" + DAY + "T" + TIME + UTC);
            conditions.put(TimeForm.DATE_TEXT, c + " ~ '^" + DAY + "$'");
            conditions.put(
                    TimeForm.TEXT_OFFSET,
                    c + " ~ '^" + DAY + "[ T]" + TIME + "[+-][0-9]{2}:?[0-9]{2}$' AND " + c + " !~ '[+-]00:?00$'");
        } else {
            conditions.put(TimeForm.EPOCH_SECONDS, c + " >= 0 AND " + c + " < " + TimeForm.MILLIS_FROM);
            conditions.put(
                    TimeForm.EPOCH_MILLIS,
                    c + " >= " + TimeForm.MILLIS_FROM + " AND " + c + " < " + TimeForm.MILLIS_UNTIL);
        }
        return conditions;
    }

    private static String example(Connection connection, Table table, Column column, String where) throws SQLException {
        String value = column.category() == Column.Category.TEXT
                ? "left(quote_literal(" + column.quoted() + "), 60)"
                : column.quoted() + "::text";
        String sql = "SELECT " + value + " FROM " + table.name().quoted() + " WHERE " + column.quoted()
                + " IS NOT NULL AND " + where + " LIMIT 1";
        try (PreparedStatement s = connection.prepareStatement(sql);
                ResultSet rs = s.executeQuery()) {
            return rs.next() ? rs.getString(1) : "?";
        }
    }
}

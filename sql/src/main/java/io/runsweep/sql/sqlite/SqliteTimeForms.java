package io.runsweep.sql.sqlite;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The forms of time in a SQLite column. SQLite keeps each value in its own storage class whatever the
 * column's type, and orders every number before every text: a text cutoff is later than every epoch integer,
 * a numeric one earlier than every text. So each form present gets its own comparison, limited to the values
 * of that form, and a form that sorts otherwise than by time (an offset other than UTC) refuses the policy.
 */
final class SqliteTimeForms {
    static final String HOW_TO_REWRITE =
            "SQLite's strftime('%Y-%m-%d %H:%M:%f', value) writes a time that has an" + " offset as UTC text";

    private static final String DATE = "[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]";
    private static final String TIME = "[0-2][0-9]:[0-5][0-9]:[0-6][0-9]";
    private static final String NUMBER = "typeof(%1$s) IN ('integer', 'real')";

    private SqliteTimeForms() {}

    /**
     * Reads every non-NULL value of the column (its index, when it has one), testing each for Prefect's own form
     * alone ({@link #surelyPrefects}); then classifies the values that test did not accept, in a second read skipped
     * when there are none. Classifying every value in one read (a CASE and a count per form for each) took 0.47 s on
     * 808,500 Prefect log times against 0.33 s for a first read of one GLOB.
     */
    static TimeForms establish(Connection connection, Table table, Column column) throws SQLException {
        String c = column.quoted();
        String from = " FROM " + table.name().quoted() + " WHERE " + c + " IS NOT NULL";
        long values;
        long notPrefects;
        try (PreparedStatement s = connection.prepareStatement(
                        "SELECT count(*), count(*) FILTER (WHERE NOT " + surelyPrefects(c) + ")" + from);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            values = rs.getLong(1);
            notPrefects = rs.getLong(2);
        }
        Map<TimeForm, Long> rows = new EnumMap<>(TimeForm.class);
        for (TimeForm form : TimeForm.values()) {
            rows.put(form, 0L);
        }
        rows.put(TimeForm.TEXT, values - notPrefects);
        if (notPrefects > 0) {
            StringJoiner counts = new StringJoiner(", ", "SELECT ", "");
            for (TimeForm form : TimeForm.values()) {
                counts.add("count(*) FILTER (WHERE f = " + form.ordinal() + ")");
            }
            // LIMIT keeps SQLite from flattening the subquery into the aggregate, which would classify each row
            // once per form.
            String sql = counts + " FROM (SELECT " + classify(c) + " AS f" + from + " AND NOT " + surelyPrefects(c)
                    + " LIMIT -1)";
            try (PreparedStatement s = connection.prepareStatement(sql);
                    ResultSet rs = s.executeQuery()) {
                rs.next();
                for (TimeForm form : TimeForm.values()) {
                    rows.merge(form, rs.getLong(form.ordinal() + 1), Long::sum);
                }
            }
        }
        Map<TimeForm, String> examples = new EnumMap<>(TimeForm.class);
        for (TimeForm form : TimeForm.values()) {
            if (!form.compared() && rows.get(form) > 0) {
                examples.put(form, example(connection, table, c, form));
            }
        }
        return new TimeForms(rows, examples);
    }

    /**
     * Values in Prefect's form that are also a valid date and time, tested at about two thirds of {@link #prefects}'
     * cost (369 against 563 ms on 808,500 log times through sqlite-jdbc, whose GLOB with a class per digit is slow):
     * the shape by a GLOB whose only class is the last digit, the other digits by julianday(), which reads them as a
     * date and time and is NULL when a digit is not one (a fraction's other characters could only end it, where the
     * last class refuses them). The values {@link #prefects} accepts and julianday() does not (a 13th month, a 60th
     * second) go to the second read, which counts them with Prefect's form: the counts are the same.
     */
    private static String surelyPrefects(String c) {
        return "(" + c + " GLOB '????-??-?? ??:??:??.?????[0-9]' AND julianday(" + c + ") IS NOT NULL)";
    }

    /** Prefect's form: {@code YYYY-MM-DD HH:MM:SS.ffffff}, UTC. */
    private static String prefects(String c) {
        return c + " GLOB '" + DATE + " " + TIME + ".[0-9][0-9][0-9][0-9][0-9][0-9]'";
    }

    private static String example(Connection connection, Table table, String c, TimeForm form) throws SQLException {
        String sql = "SELECT substr(quote(" + c + "), 1, 60) FROM "
                + table.name().quoted() + " WHERE " + c + " IS NOT NULL AND " + classify(c) + " = ? LIMIT 1";
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setInt(1, form.ordinal());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : "?";
            }
        }
    }

    /** The {@link TimeForm#ordinal()} of a value. */
    private static String classify(String c) {
        String utc = "(" + fraction("substr(" + c + ", 20)")
                + " OR (" + c + " GLOB '*Z' AND " + fractionBefore(c, 1) + ")"
                + " OR (" + c + " GLOB '*[+-]00:00' AND " + fractionBefore(c, 6) + ")"
                + " OR (" + c + " GLOB '*[+-]0000' AND " + fractionBefore(c, 5) + "))";
        String offset = "((" + c + " GLOB '*[+-][0-9][0-9]:[0-9][0-9]' AND " + fractionBefore(c, 6) + ")" + " OR (" + c
                + " GLOB '*[+-][0-9][0-9][0-9][0-9]' AND " + fractionBefore(c, 5) + "))";
        return "CASE"
                + " WHEN " + prefects(c) + " THEN " + TimeForm.TEXT.ordinal()
                + " WHEN " + String.format(NUMBER, c) + " THEN CASE"
                + " WHEN " + c + " >= 0 AND " + c + " < " + TimeForm.MILLIS_FROM + " THEN "
                + TimeForm.EPOCH_SECONDS.ordinal()
                + " WHEN " + c + " >= " + TimeForm.MILLIS_FROM + " AND " + c + " < " + TimeForm.MILLIS_UNTIL
                + " THEN " + TimeForm.EPOCH_MILLIS.ordinal()
                + " ELSE " + TimeForm.OTHER_NUMBER.ordinal() + " END"
                + " WHEN typeof(" + c + ") <> 'text' THEN " + TimeForm.BLOB.ordinal()
                + " WHEN " + c + " GLOB '" + DATE + "' THEN " + TimeForm.DATE_TEXT.ordinal()
                + " WHEN NOT " + c + " GLOB '" + DATE + "[ T]" + TIME + "*' THEN " + TimeForm.OTHER_TEXT.ordinal()
                + " WHEN " + utc + " THEN CASE substr(" + c + ", 11, 1) WHEN ' ' THEN " + TimeForm.TEXT.ordinal()
                + " ELSE " + TimeForm.TEXT_T.ordinal() + " END"
                + " WHEN " + offset + " THEN " + TimeForm.TEXT_OFFSET.ordinal()
                + " ELSE " + TimeForm.OTHER_TEXT.ordinal() + " END";
    }

    /** The characters between the seconds and a zone of {@code zone} characters are a fraction, or none. */
    private static String fractionBefore(String c, int zone) {
        return fraction("substr(" + c + ", 20, length(" + c + ") - " + (19 + zone) + ")");
    }

    /** {@code ''}, or a dot and 1 to 9 digits. */
    private static String fraction(String x) {
        return "(" + x + " = '' OR (" + x + " GLOB '.[0-9]*' AND length(" + x + ") <= 10 AND ltrim(substr(" + x
                + ", 2), '0123456789') = ''))";
    }

    /**
     * One comparison per form: {@code (<values of the form> AND c < <cutoff in the form>) OR ...}. Each keeps
     * the column's index usable for its range; the test of the form filters within it.
     */
    static Predicate.Older older(TimeForms forms, Column column, Instant cutoff) {
        Instant at = TimeForm.wholeSecond(cutoff);
        List<String> branches = new ArrayList<>();
        List<SqlParam> params = new ArrayList<>();
        for (TimeForm form : forms.compared(TimeForm.TEXT)) {
            branches.add(valuesOf(form, column.quoted()) + " AND " + column.quoted() + " < ?");
            params.add(form.cutoff(at));
        }
        return Predicate.Older.anyOf(column, branches, params);
    }

    /** The earliest value of each form Runsweep compares, one column each. */
    static List<String> minimums(String x) {
        return Arrays.stream(TimeForm.values())
                .filter(TimeForm::compared)
                .map(form -> "min(CASE WHEN " + valuesOf(form, x) + " THEN " + x + " END)")
                .toList();
    }

    /** A condition true for values of {@code form} among the forms Runsweep compares. */
    static String valuesOf(TimeForm form, String x) {
        return switch (form) {
            case TEXT -> "substr(" + x + ", 11, 1) = ' '";
            case TEXT_T -> "substr(" + x + ", 11, 1) = 'T'";
            case DATE_TEXT -> "typeof(" + x + ") = 'text' AND length(" + x + ") = 10";
            case EPOCH_SECONDS -> String.format(NUMBER, x) + " AND " + x + " >= 0";
            case EPOCH_MILLIS -> String.format(NUMBER, x) + " AND " + x + " >= " + TimeForm.MILLIS_FROM;
            default -> throw new IllegalArgumentException("no comparison for " + form.label());
        };
    }
}

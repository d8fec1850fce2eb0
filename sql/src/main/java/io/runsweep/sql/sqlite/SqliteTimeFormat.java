package io.runsweep.sql.sqlite;

import io.runsweep.sql.Column;
import io.runsweep.sql.SqlParam;
import io.runsweep.sql.Table;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a SQLite column stores time, read off a stored value. SQLite compares text as text and numbers
 * as numbers, so a cutoff bound in any other form than the column's compares wrongly and silently.
 */
record SqliteTimeFormat(Kind kind, DateTimeFormatter text, String suffix) {

    enum Kind {
        TEXT,
        EPOCH_SECONDS,
        EPOCH_MILLIS
    }

    /** Prefect's form: UTC, no offset, microseconds. */
    static final SqliteTimeFormat PREFECT = text(' ', 6, "");

    private static final Pattern TEXT_TIME =
            Pattern.compile("^\\d{4}-\\d{2}-\\d{2}([ T])\\d{2}:\\d{2}:\\d{2}(?:\\.(\\d{1,9}))?(Z|[+-]00:?00)?$");

    static SqliteTimeFormat sample(Connection connection, Table table, Column column) throws SQLException {
        String sql = "SELECT typeof(" + column.quoted() + "), " + column.quoted() + " FROM "
                + table.name().quoted() + " WHERE " + column.quoted() + " IS NOT NULL LIMIT 1";
        try (PreparedStatement s = connection.prepareStatement(sql);
                ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                return PREFECT;
            }
            return switch (rs.getString(1)) {
                case "integer", "real" ->
                    Math.abs(rs.getDouble(2)) > 1e11
                            ? new SqliteTimeFormat(Kind.EPOCH_MILLIS, null, "")
                            : new SqliteTimeFormat(Kind.EPOCH_SECONDS, null, "");
                case "text" -> ofText(table, column, rs.getString(2));
                default -> throw unreadable(table, column, rs.getString(2));
            };
        }
    }

    private static SqliteTimeFormat ofText(Table table, Column column, String value) {
        Matcher m = TEXT_TIME.matcher(value);
        if (!m.matches()) {
            throw unreadable(table, column, value);
        }
        int digits = m.group(2) == null ? 0 : m.group(2).length();
        return text(m.group(1).charAt(0), digits, m.group(3) == null ? "" : m.group(3));
    }

    private static SqliteTimeFormat text(char separator, int fractionDigits, String suffix) {
        String pattern =
                "yyyy-MM-dd'" + separator + "'HH:mm:ss" + (fractionDigits > 0 ? "." + "S".repeat(fractionDigits) : "");
        return new SqliteTimeFormat(
                Kind.TEXT, DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC), suffix);
    }

    private static IllegalArgumentException unreadable(Table table, Column column, String value) {
        return new IllegalArgumentException("cannot tell how \"" + table.name() + "\".\"" + column.name()
                + "\" stores time: a stored value is '" + value
                + "'; expected UTC text like '2026-01-31 23:59:59.000000' or epoch seconds or milliseconds");
    }

    /** A stored time, in any of the forms {@link #sample} recognises, as an instant. */
    static Instant parse(Column column, Object stored) {
        if (stored instanceof Number n) {
            double value = n.doubleValue();
            return Math.abs(value) > 1e11
                    ? Instant.ofEpochMilli(n.longValue())
                    : Instant.ofEpochSecond((long) Math.floor(value), Math.round((value - Math.floor(value)) * 1e9));
        }
        Matcher m = TEXT_TIME.matcher(String.valueOf(stored));
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "cannot read \"" + column.name() + "\" as a time: a stored value is '" + stored + "'");
        }
        String fraction = m.group(2) == null ? "" : m.group(2);
        long nanos = fraction.isEmpty() ? 0 : Long.parseLong((fraction + "000000000").substring(0, 9));
        return LocalDateTime.parse(m.group().substring(0, 19).replace(' ', 'T'))
                .toInstant(ZoneOffset.UTC)
                .plusNanos(nanos);
    }

    SqlParam cutoff(Instant cutoff) {
        return switch (kind) {
            case TEXT -> {
                String value = text.format(cutoff) + suffix;
                yield new SqlParam.Value(value, Types.VARCHAR, "'" + value + "'");
            }
            case EPOCH_SECONDS ->
                new SqlParam.Value(
                        cutoff.getEpochSecond(), Types.BIGINT, cutoff.getEpochSecond() + " (" + cutoff + ")");
            case EPOCH_MILLIS ->
                new SqlParam.Value(cutoff.toEpochMilli(), Types.BIGINT, cutoff.toEpochMilli() + " (" + cutoff + ")");
        };
    }
}

package io.runsweep.sql;

import java.sql.Types;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One way a column can store a point in time. Each form sorts by time only among values of its own form, so
 * a cutoff is compared only with values of the form it is written in. Text and numbers are taken as UTC.
 */
public enum TimeForm {
    /** {@code 2026-01-31 23:59:59}, with an optional fraction of up to 9 digits and a UTC zone (Z, +00:00, +0000). */
    TEXT("text 'YYYY-MM-DD HH:MM:SS[.ffffff]'", true),
    /** The same with ISO 8601's {@code T} between date and time. */
    TEXT_T("text 'YYYY-MM-DDTHH:MM:SS[.ffffff][Z]'", true),
    /** A date alone, {@code 2026-01-31}: its midnight, UTC. */
    DATE_TEXT("text 'YYYY-MM-DD'", true),
    /** Seconds since 1970, integer or real, from 0 up to 100,000,000,000 (the year 5138). */
    EPOCH_SECONDS("epoch seconds", true),
    /** Milliseconds since 1970, from 100,000,000,000 (March 1973) up to 100,000,000,000,000. */
    EPOCH_MILLIS("epoch milliseconds", true),
    /** Text with a zone other than UTC: comparing it as text would be off by the offset. */
    TEXT_OFFSET("text with a UTC offset other than +00:00", false),
    /** Text in no form above. */
    OTHER_TEXT("text that is not a date and time Runsweep reads", false),
    /** Negative numbers, or numbers too large for epoch milliseconds (microseconds, nanoseconds). */
    OTHER_NUMBER("numbers that are neither epoch seconds nor epoch milliseconds", false),
    /** SQLite blobs. */
    BLOB("blobs", false);

    /** Where epoch seconds end and epoch milliseconds begin. */
    public static final long MILLIS_FROM = 100_000_000_000L;
    /** Where epoch milliseconds end. */
    public static final long MILLIS_UNTIL = 100_000_000_000_000L;

    private final String label;
    private final boolean compared;

    TimeForm(String label, boolean compared) {
        this.label = label;
        this.compared = compared;
    }

    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECONDS_T =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    /**
     * The cutoff written in this form, so that {@code value < cutoff} holds exactly for the values of this form
     * that lie before {@code cutoff}. Text cutoffs stop at the second: a longer value (a fraction, a zone)
     * that starts with the same 19 characters sorts after it, as it lies at or after it in time. A date is
     * before the cutoff when its midnight is, so the cutoff for dates is the first date not before it.
     *
     * @param cutoff a whole second
     */
    public SqlParam cutoff(Instant cutoff) {
        if (cutoff.getNano() != 0) {
            throw new IllegalArgumentException("a cutoff is a whole second, not " + cutoff);
        }
        return switch (this) {
            case TEXT -> text(SECONDS.format(cutoff));
            case TEXT_T -> text(SECONDS_T.format(cutoff));
            case DATE_TEXT -> {
                LocalDate day = cutoff.atOffset(ZoneOffset.UTC).toLocalDate();
                yield text((cutoff.equals(day.atStartOfDay().toInstant(ZoneOffset.UTC)) ? day : day.plusDays(1))
                        .toString());
            }
            case EPOCH_SECONDS -> epoch(Math.min(cutoff.getEpochSecond(), MILLIS_FROM), cutoff);
            case EPOCH_MILLIS -> epoch(Math.min(cutoff.toEpochMilli(), MILLIS_UNTIL), cutoff);
            default -> throw new IllegalArgumentException("no cutoff is compared with " + label);
        };
    }

    private static SqlParam text(String value) {
        return new SqlParam.Value(value, Types.VARCHAR, "'" + value + "'");
    }

    /** Bounded by the form's own range, so that no value of another form can fall below it. */
    private static SqlParam epoch(long value, Instant cutoff) {
        return new SqlParam.Value(value, Types.BIGINT, value + " (" + cutoff + ")");
    }

    /** A cutoff as every form compares it: the whole second at or before {@code at}. */
    public static Instant wholeSecond(Instant at) {
        return at.truncatedTo(ChronoUnit.SECONDS);
    }

    private static final Pattern TEXT_TIME =
            Pattern.compile("^\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(?:\\.(\\d{1,9}))?(?:Z|[+-]00:?00)?$");
    private static final Pattern DATE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}$");

    /**
     * A stored value of a form Runsweep compares, as an instant: UTC text, a date (its midnight), epoch seconds
     * or milliseconds.
     *
     * @throws IllegalArgumentException for a value of no such form
     */
    public static Instant read(Object stored) {
        if (stored instanceof Number n) {
            double value = n.doubleValue();
            return value >= MILLIS_FROM
                    ? Instant.ofEpochMilli(n.longValue())
                    : Instant.ofEpochSecond((long) Math.floor(value), Math.round((value - Math.floor(value)) * 1e9));
        }
        String text = String.valueOf(stored);
        try {
            if (DATE.matcher(text).matches()) {
                return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            Matcher m = TEXT_TIME.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + text + "' is not a time in a form Runsweep reads");
            }
            String fraction = m.group(1) == null ? "" : m.group(1);
            long nanos = fraction.isEmpty() ? 0 : Long.parseLong((fraction + "000000000").substring(0, 9));
            return LocalDateTime.parse(text.substring(0, 10) + "T" + text.substring(11, 19))
                    .toInstant(ZoneOffset.UTC)
                    .plusNanos(nanos);
        } catch (DateTimeException e) {
            // In the form's shape, but no day or time there is: a 13th month, February 30, 24:00, a 60th second.
            throw new IllegalArgumentException("'" + text + "' is not a date and time: " + e.getMessage(), e);
        }
    }

    /** The form as messages name it. */
    public String label() {
        return label;
    }

    /** Whether Runsweep compares values of this form with a cutoff; a column holding any other is refused. */
    public boolean compared() {
        return compared;
    }
}

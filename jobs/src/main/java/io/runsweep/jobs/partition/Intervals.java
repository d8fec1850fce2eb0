package io.runsweep.jobs.partition;

import io.runsweep.config.PartitionSettings.Interval;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/** Calendar arithmetic of partition intervals, in UTC: where one starts, the next, and its name. */
final class Intervals {
    private static final DateTimeFormatter MONTH =
            DateTimeFormatter.ofPattern("'_'uuuu'_'MM").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("'_'uuuu'_'MM'_'dd").withZone(ZoneOffset.UTC);

    private Intervals() {}

    /** The start of the interval that holds {@code at}: midnight, Monday's midnight, or the 1st's. */
    static Instant start(Interval interval, Instant at) {
        ZonedDateTime day = at.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS);
        return switch (interval) {
            case DAILY -> day.toInstant();
            case WEEKLY ->
                day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toInstant();
            case MONTHLY -> day.withDayOfMonth(1).toInstant();
        };
    }

    /** The start {@code n} intervals after (or, negative, before) the interval starting at {@code start}. */
    static Instant plus(Interval interval, Instant start, long n) {
        ZonedDateTime from = start.atZone(ZoneOffset.UTC);
        return switch (interval) {
            case DAILY -> from.plusDays(n).toInstant();
            case WEEKLY -> from.plusWeeks(n).toInstant();
            case MONTHLY -> from.plusMonths(n).toInstant();
        };
    }

    /** {@code _2026_07} for a month, {@code _2026_07_06} for a day or the week starting that day. */
    static String suffix(Interval interval, Instant start) {
        return (interval == Interval.MONTHLY ? MONTH : DAY).format(start);
    }
}

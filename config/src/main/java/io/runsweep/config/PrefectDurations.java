package io.runsweep.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written as Prefect's settings accept them (pydantic's timedelta): a number of seconds
 * ({@code 7776000}), ISO 8601 ({@code P90D}, {@code PT12H}, {@code P2W}), {@code [D[D],]HH:MM:SS[.f]}
 * ({@code 1d,01:02:03}) or Python's own {@code 90 days, 0:00:00}.
 */
final class PrefectDurations {
    private static final Pattern SECONDS = Pattern.compile("\\d+(\\.\\d+)?");
    private static final Pattern WEEKS = Pattern.compile("P(\\d+)W");
    private static final Pattern CLOCK =
            Pattern.compile("(?:(\\d+)\\s*(?:d|D|days?)\\s*,?\\s*)?(\\d{1,2}):(\\d{2}):(\\d{2})(\\.\\d{1,6})?");

    private PrefectDurations() {}

    /** Empty when the text is none of the forms above; months and years are refused (their length varies). */
    static Optional<Duration> parse(String text) {
        String t = text.strip();
        if (SECONDS.matcher(t).matches()) {
            return Optional.of(seconds(new BigDecimal(t)));
        }
        Matcher weeks = WEEKS.matcher(t);
        if (weeks.matches()) {
            return Optional.of(Duration.ofDays(7 * Long.parseLong(weeks.group(1))));
        }
        if (t.startsWith("P")) {
            try {
                return Optional.of(Duration.parse(t));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        Matcher clock = CLOCK.matcher(t);
        if (clock.matches()) {
            long days = clock.group(1) == null ? 0 : Long.parseLong(clock.group(1));
            Duration d = Duration.ofDays(days)
                    .plusHours(Long.parseLong(clock.group(2)))
                    .plusMinutes(Long.parseLong(clock.group(3)))
                    .plusSeconds(Long.parseLong(clock.group(4)));
            return Optional.of(clock.group(5) == null ? d : d.plus(seconds(new BigDecimal("0" + clock.group(5)))));
        }
        return Optional.empty();
    }

    private static Duration seconds(BigDecimal seconds) {
        return Duration.ofNanos(seconds.movePointRight(9).longValueExact());
    }

    /** As HOCON reads it back, exactly: {@code 90d}, {@code 12h}, {@code 1500ms}. */
    static String hocon(Duration d) {
        return EffectiveConfig.duration(d);
    }
}

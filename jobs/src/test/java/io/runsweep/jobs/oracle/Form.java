package io.runsweep.jobs.oracle;

import io.runsweep.sql.DatabaseKind;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;

/**
 * How the generated data writes an instant. Each form first takes the instant to its own precision; what it
 * then writes stands for exactly that instant, which the test keeps beside it as the truth.
 */
enum Form {
    TEXT_MICROS("yyyy-MM-dd HH:mm:ss.SSSSSS", ChronoUnit.MICROS),
    TEXT_SECONDS("yyyy-MM-dd HH:mm:ss", ChronoUnit.SECONDS),
    TEXT_T_MILLIS_Z("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", ChronoUnit.MILLIS),
    TEXT_UTC_OFFSET("yyyy-MM-dd HH:mm:ss.SSSSSS'+00:00'", ChronoUnit.MICROS),
    TEXT_T_SECONDS("yyyy-MM-dd'T'HH:mm:ss", ChronoUnit.SECONDS),
    DATE_TEXT("yyyy-MM-dd", ChronoUnit.DAYS),
    EPOCH_SECONDS(null, ChronoUnit.SECONDS),
    EPOCH_SECONDS_REAL(null, ChronoUnit.MILLIS),
    EPOCH_MILLIS(null, ChronoUnit.MILLIS),
    TIMESTAMPTZ(null, ChronoUnit.MICROS),
    TIMESTAMP(null, ChronoUnit.MICROS),
    DATE(null, ChronoUnit.DAYS);

    private static final List<Form> TEXT =
            List.of(TEXT_MICROS, TEXT_SECONDS, TEXT_T_MILLIS_Z, TEXT_UTC_OFFSET, TEXT_T_SECONDS, DATE_TEXT);

    private final DateTimeFormatter format;
    private final ChronoUnit precision;

    Form(String pattern, ChronoUnit precision) {
        this.format =
                pattern == null ? null : DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC);
        this.precision = precision;
    }

    /** The forms a column of this declared type keeps as they are written. */
    static List<Form> storableIn(DatabaseKind kind, String timeType) {
        if (kind == DatabaseKind.SQLITE) {
            // A TEXT column turns numbers into text, which is no form of time.
            return timeType.equals("TEXT")
                    ? TEXT
                    : List.of(
                            TEXT_MICROS,
                            TEXT_SECONDS,
                            TEXT_T_MILLIS_Z,
                            TEXT_UTC_OFFSET,
                            TEXT_T_SECONDS,
                            DATE_TEXT,
                            EPOCH_SECONDS,
                            EPOCH_SECONDS_REAL,
                            EPOCH_MILLIS);
        }
        return switch (timeType) {
            case "timestamptz" -> List.of(TIMESTAMPTZ);
            case "timestamp" -> List.of(TIMESTAMP);
            case "date" -> List.of(DATE);
            case "text" -> TEXT;
            default -> List.of(EPOCH_SECONDS, EPOCH_MILLIS);
        };
    }

    /** The instant this form can hold at or before {@code at}. */
    Instant truncate(Instant at) {
        return at.truncatedTo(precision);
    }

    /** The value to bind for {@code at}, which must already be truncated. */
    Object write(Instant at, Random random) {
        if (format != null) {
            return format.format(at);
        }
        return switch (this) {
            case EPOCH_SECONDS -> at.getEpochSecond();
            case EPOCH_SECONDS_REAL -> at.toEpochMilli() / 1000.0;
            case EPOCH_MILLIS -> at.toEpochMilli();
            case TIMESTAMPTZ -> at.atOffset(ZoneOffset.ofHours(random.nextInt(25) - 12));
            case TIMESTAMP -> at.atOffset(ZoneOffset.UTC).toLocalDateTime();
            case DATE -> at.atOffset(ZoneOffset.UTC).toLocalDate();
            default -> throw new IllegalStateException(name());
        };
    }

    /** Microseconds since 1970: the truth the plain SQL compares. */
    static long micros(Instant at) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, at);
    }

    /** A value no form that is compared covers, for a column of this type; null where the type admits none. */
    static Object unreadable(DatabaseKind kind, String timeType, Random random) {
        boolean text = kind == DatabaseKind.SQLITE || timeType.equals("text");
        boolean number = kind == DatabaseKind.SQLITE ? !timeType.equals("TEXT") : timeType.equals("bigint");
        if (number && (!text || random.nextBoolean())) {
            return -1L - random.nextInt(1000);
        }
        if (text) {
            return random.nextBoolean() ? "2026-05-02 13:30:00+02:00" : "not a time";
        }
        return null;
    }
}

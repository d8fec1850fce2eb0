package io.runsweep.jobs.seed;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Timestamps as microseconds since the epoch, the precision both databases keep, written the way
 * Prefect stores them.
 */
final class Timestamps {
    static final long SECOND = 1_000_000L;
    static final long MINUTE = 60 * SECOND;
    static final long DAY = 86_400 * SECOND;

    private Timestamps() {}

    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), SECOND), instant.getNano() / 1_000);
    }

    static OffsetDateTime postgres(long micros) {
        Instant instant = Instant.ofEpochSecond(Math.floorDiv(micros, SECOND), Math.floorMod(micros, SECOND) * 1_000);
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /**
     * UTC text 'YYYY-MM-DD HH:MM:SS.ffffff', the only form that compares correctly with what Prefect
     * writes; formatted by hand because this runs for every timestamp of every seeded row.
     */
    static String sqlite(long micros) {
        long days = Math.floorDiv(micros, DAY);
        long inDay = Math.floorMod(micros, DAY);
        LocalDate date = LocalDate.ofEpochDay(days);
        char[] out = new char[26];
        put(out, 0, date.getYear(), 4);
        out[4] = '-';
        put(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        put(out, 8, date.getDayOfMonth(), 2);
        out[10] = ' ';
        long seconds = inDay / SECOND;
        put(out, 11, seconds / 3600, 2);
        out[13] = ':';
        put(out, 14, seconds / 60 % 60, 2);
        out[16] = ':';
        put(out, 17, seconds % 60, 2);
        out[19] = '.';
        put(out, 20, inDay % SECOND, 6);
        return new String(out);
    }

    private static void put(char[] out, int at, long value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}

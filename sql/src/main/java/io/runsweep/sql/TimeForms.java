package io.runsweep.sql;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The forms a time column's values are stored in, each with how many rows hold it, counted over every row:
 * one row says nothing of the next. Where a form Runsweep cannot compare is present, one value of it.
 *
 * @param rows rows per form present; a form absent from the map holds no row
 * @param examples one stored value of each form that is not compared, as an SQL literal ({@code '...'} for text)
 */
public record TimeForms(Map<TimeForm, Long> rows, Map<TimeForm, String> examples) {

    public TimeForms {
        rows = copy(rows);
        examples = copy(examples);
    }

    private static <V> Map<TimeForm, V> copy(Map<TimeForm, V> map) {
        EnumMap<TimeForm, V> copy = new EnumMap<>(TimeForm.class);
        copy.putAll(map);
        return java.util.Collections.unmodifiableMap(copy);
    }

    /** A column whose type admits a single form, or an empty column treated as holding {@code form}. */
    public static TimeForms only(TimeForm form, long rows) {
        return new TimeForms(Map.of(form, rows), Map.of());
    }

    /** The forms present, in {@link TimeForm} order. */
    public List<TimeForm> present() {
        return rows.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .map(Map.Entry::getKey)
                .toList();
    }

    /**
     * The forms a condition must compare: those present, or {@code ifEmpty} for a column with no time in it
     * yet (its rows may come while a sweep runs).
     */
    public List<TimeForm> compared(TimeForm ifEmpty) {
        List<TimeForm> present = present();
        return present.isEmpty() ? List.of(ifEmpty) : present;
    }

    /**
     * @throws IllegalArgumentException naming the forms and their rows, when a form present is not compared
     * @param howToRewrite how this database writes a time with an offset as UTC, for the message
     */
    public void requireComparable(Table table, Column column, String howToRewrite) {
        List<TimeForm> refused = present().stream().filter(f -> !f.compared()).toList();
        if (refused.isEmpty()) {
            return;
        }
        List<String> bad = new ArrayList<>();
        for (TimeForm form : refused) {
            bad.add(rowsOf(form) + " (such as " + examples.getOrDefault(form, "?") + ")");
        }
        List<String> good =
                present().stream().filter(TimeForm::compared).map(this::rowsOf).toList();
        throw new IllegalArgumentException("\"" + table.name() + "\".\"" + column.name()
                + "\" holds times Runsweep cannot compare with a cutoff: " + String.join(", ", bad)
                + (good.isEmpty() ? "" : "; beside " + String.join(", ", good))
                + ". Rewrite those rows in UTC, as 'YYYY-MM-DD HH:MM:SS' text or epoch seconds (" + howToRewrite
                + "), or set them to NULL (a NULL time never matches), and the policy can run");
    }

    /** {@code 4,519 rows of epoch seconds}. */
    public String rowsOf(TimeForm form) {
        long n = rows.getOrDefault(form, 0L);
        return String.format(Locale.ROOT, "%,d %s of %s", n, n == 1 ? "row" : "rows", form.label());
    }
}

package io.runsweep.config;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What {@code runsweep check} knows of the scheduler's schema ({@code runsweep.review}), which its preset
 * sets: how the scheduler names its indexes, so that a suggested index reads like one of its own, and which
 * indexes are its own, so that none of them is ever proposed for dropping.
 *
 * @param indexName the name of a suggested index, with {@code {table}} and {@code {column}} in it
 * @param schedulerIndexes names, with {@code *} for any run of characters, of the indexes the scheduler's own
 *     migrations create
 */
public record ReviewSettings(String indexName, List<String> schedulerIndexes) {
    /** PostgreSQL keeps 63 bytes of a name. */
    private static final int MAX_NAME = 63;

    public ReviewSettings {
        schedulerIndexes = List.copyOf(schedulerIndexes);
    }

    /** The name a suggested index on {@code table}.{@code column} gets. */
    public String indexName(String table, String column) {
        String name = indexName.replace("{table}", table).replace("{column}", column);
        return name.length() <= MAX_NAME ? name : name.substring(0, MAX_NAME);
    }

    /** Whether the scheduler's migrations create an index of this name. */
    public boolean schedulerOwns(String index) {
        return schedulerIndexes.stream()
                .anyMatch(pattern -> glob(pattern).matcher(index).matches());
    }

    private static Pattern glob(String pattern) {
        return Pattern.compile(
                Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*")));
    }

    /**
     * A template that does not name the column would give every suggested index of a table one name; one with
     * other characters than an identifier's would give names that cannot be written unquoted in the fix.
     */
    static boolean validTemplate(String template) {
        return template.contains("{column}")
                && template.replace("{table}", "t").replace("{column}", "c").matches("[A-Za-z_][A-Za-z0-9_$]*");
    }
}

package io.runsweep.jobs.partition;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A SQL script being written for a person to read: statements, and comments wrapped to a readable width. */
final class PlanText {
    /** Characters of comment text per line, after "-- ". */
    private static final int WIDTH = 100;

    private final StringBuilder out = new StringBuilder();

    void statement(String sql) {
        out.append(sql).append(";\n");
    }

    /** One comment line as given; an empty text is a bare "--". */
    void comment(String text) {
        out.append(text.isEmpty() ? "--" : "-- " + text).append('\n');
    }

    /** A step's heading: its number, then its text wrapped under it. */
    void step(int number, String text) {
        List<String> lines = wrap(text, WIDTH - 3);
        comment(number + ". " + lines.get(0));
        lines.stream().skip(1).forEach(l -> comment("   " + l));
    }

    void note(String text) {
        List<String> lines = wrap(text, WIDTH - 2);
        comment("* " + lines.get(0));
        lines.stream().skip(1).forEach(l -> comment("  " + l));
    }

    void blank() {
        out.append('\n');
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : " ").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    /** A catalog name as a person reads it in a comment. */
    static String quoted(String name) {
        return '"' + name + '"';
    }

    static String names(List<String> columns) {
        return columns.stream().map(PlanText::quoted).collect(Collectors.joining(", ", "(", ")"));
    }
}

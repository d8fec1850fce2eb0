package io.runsweep.jobs.seed;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the fixture scripts into statements. Deliberately simple, for scripts written for it: a
 * statement ends at a line ending in ';' unless that line is inside a $$-quoted body; lines that
 * start with '--' are dropped.
 */
final class SqlScript {
    private SqlScript() {}

    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inDollarQuote = false;
        for (String line : script.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (dollarQuotes(trimmed) % 2 == 1) {
                inDollarQuote = !inDollarQuote;
            }
            if (!inDollarQuote && trimmed.endsWith(";")) {
                statements.add(withoutFinalSemicolon(current));
                current.setLength(0);
            }
        }
        if (inDollarQuote) {
            throw new IllegalArgumentException("unterminated $$ body in SQL script");
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }

    private static int dollarQuotes(String line) {
        int count = 0;
        for (int at = line.indexOf("$$"); at >= 0; at = line.indexOf("$$", at + 2)) {
            count++;
        }
        return count;
    }

    private static String withoutFinalSemicolon(StringBuilder statement) {
        String text = statement.toString().strip();
        return text.substring(0, text.length() - 1).strip();
    }
}

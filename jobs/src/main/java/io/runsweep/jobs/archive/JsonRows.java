package io.runsweep.jobs.archive;

import io.runsweep.jobs.common.JsonReader;
import io.runsweep.jobs.common.JsonWriter;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One archived row as one line of JSON, keyed by column name: whole numbers and booleans as JSON's own, floating
 * point numbers as numbers (as strings when not finite), bytes as {@code \x<hex>}, anything else (times, UUIDs,
 * JSON, enums, numerics) as the database's own text of it. docs/archive.md states the same for other tools.
 */
final class JsonRows {
    private static final HexFormat HEX = HexFormat.of();

    private JsonRows() {}

    /** The rows as JSON Lines, each ended by a newline. */
    static String lines(List<String> columns, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return "";
        }
        JsonWriter json = JsonWriter.lines();
        for (Object[] row : rows) {
            json.beginObject();
            for (int i = 0; i < row.length; i++) {
                json.field(columns.get(i), jsonValue(row[i]));
            }
            json.endObject();
        }
        return json + "\n";
    }

    private static Object jsonValue(Object value) {
        if (value instanceof byte[] bytes) {
            return "\\x" + HEX.formatHex(bytes);
        }
        if (value instanceof Double d && !Double.isFinite(d)) {
            return d.toString();
        }
        return value;
    }

    /** The bytes a value's text takes, as archive tables count what they hold. */
    static long textLength(Object value) {
        if (value == null) {
            return 0;
        }
        return value instanceof byte[] bytes
                ? bytes.length
                : String.valueOf(value).length();
    }

    /** A line written by {@link #lines}, column to value, in the line's order. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String line) throws IOException {
        Object value = JsonReader.parse(line);
        if (!(value instanceof Map<?, ?> row)) {
            throw new IOException("not a JSON object: " + abbreviated(line));
        }
        for (Map.Entry<?, ?> e : row.entrySet()) {
            if (e.getValue() instanceof Map || e.getValue() instanceof List) {
                throw new IOException("column \"" + e.getKey() + "\" holds an object or array, not a value");
            }
        }
        return (Map<String, Object>) row;
    }

    private static String abbreviated(String line) {
        return line.length() > 80 ? line.substring(0, 80) + "..." : line;
    }
}

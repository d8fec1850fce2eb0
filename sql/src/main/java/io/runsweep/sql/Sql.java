package io.runsweep.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A planned statement: its text with {@code ?} placeholders and the parameters, in order. */
public record Sql(String text, List<SqlParam> params) {

    public Sql {
        params = List.copyOf(params);
    }

    public static Sql of(String text, List<SqlParam> params) {
        return new Sql(text, params);
    }

    public PreparedStatement prepare(Connection connection, SqlParam.BatchValues batch) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(text);
        try {
            for (int i = 0; i < params.size(); i++) {
                params.get(i).bind(connection, statement, i + 1, batch);
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    /** This statement wrapped as {@code prefix + text + suffix}, with the same parameters. */
    public Sql wrap(String prefix, String suffix) {
        return new Sql(prefix + text + suffix, params);
    }

    /** This statement with one more parameter, for a placeholder appended at its end. */
    public Sql withExtra(SqlParam param) {
        List<SqlParam> all = new ArrayList<>(params);
        all.add(param);
        return new Sql(text, all);
    }

    /** Parameters in the order the placeholders appear: {@code a} then {@code b}. */
    public static List<SqlParam> concat(List<SqlParam> a, List<SqlParam> b) {
        List<SqlParam> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * The text and, below it, what each placeholder is bound to, as the dry run prints it; then any statement
     * that finds a parameter's values, shown the same way.
     */
    public String display() {
        if (params.isEmpty()) {
            return text;
        }
        StringBuilder shown = new StringBuilder(text).append("\n  -- ");
        List<String> values = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            values.add("$" + (i + 1) + " = " + params.get(i).display());
        }
        shown.append(values.stream().collect(Collectors.joining(", ")));
        for (SqlParam param : params) {
            if (param instanceof SqlParam.SelectedKeys selected) {
                shown.append('\n').append(selected.select().display());
            }
        }
        return shown.toString();
    }
}

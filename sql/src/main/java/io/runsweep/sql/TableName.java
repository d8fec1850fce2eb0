package io.runsweep.sql;

import java.util.Optional;

/** A table, optionally schema-qualified, exactly as the catalog spells it. */
public record TableName(Optional<String> schema, String name) {

    public TableName {
        schema.ifPresent(Identifiers::requireValid);
        Identifiers.requireValid(name);
    }

    public static TableName of(String name) {
        return new TableName(Optional.empty(), name);
    }

    /** Parses {@code name} or {@code schema.name}. */
    public static TableName parse(String text) {
        int dot = text.indexOf('.');
        return dot < 0 ? of(text) : new TableName(Optional.of(text.substring(0, dot)), text.substring(dot + 1));
    }

    public String quoted() {
        return schema.map(s -> Identifiers.quote(s) + ".").orElse("") + Identifiers.quote(name);
    }

    /** How users see it in messages and metrics: {@code flow_run} or {@code archive.flow_run}. */
    @Override
    public String toString() {
        return schema.map(s -> s + ".").orElse("") + name;
    }
}

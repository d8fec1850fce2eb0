package io.runsweep.sql;

/** A single-column foreign key {@code child.childColumn -> parent.parentColumn}. */
public record ForeignKey(
        String name, TableName child, String childColumn, TableName parent, String parentColumn, OnDelete onDelete) {

    public enum OnDelete {
        CASCADE,
        SET_NULL,
        SET_DEFAULT,
        RESTRICT,
        NO_ACTION;

        public String sql() {
            return name().replace('_', ' ');
        }
    }
}

package io.runsweep.sql;

/**
 * A column as the catalog describes it.
 *
 * @param typeName the database's own name for the type: {@code uuid}, {@code timestamptz}, {@code state_type},
 *     {@code int4} on PostgreSQL; the declared type ({@code DATETIME}, {@code CHAR(36)}) on SQLite
 * @param category how values of this column are bound and compared
 */
public record Column(String name, String typeName, Category category, boolean nullable) {

    public enum Category {
        TIMESTAMP_TZ,
        TIMESTAMP,
        DATE,
        INTEGER,
        TEXT,
        ENUM,
        UUID,
        OTHER;

        /** A type whose values are times whatever they hold: no unit or form to read them in. */
        public boolean isTime() {
            return this == TIMESTAMP_TZ || this == TIMESTAMP || this == DATE;
        }
    }

    public String quoted() {
        return Identifiers.quote(name);
    }

    /** A configured value for this integer column; text is refused rather than compared as text. */
    public long integer(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalArgumentException(
                "column \"" + name + "\" holds integers, but the status value '" + value + "' is text");
    }
}

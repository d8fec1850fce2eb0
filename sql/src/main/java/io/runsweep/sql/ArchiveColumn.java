package io.runsweep.sql;

/**
 * A column of an archive table: the source column's name, and the type its copies are kept in.
 *
 * @param type as declared in the archive table: the source's own type, or {@code text} for a type the
 *     application defined (an enum, a domain), so that the archive never holds up a change to that type
 */
public record ArchiveColumn(String name, String type) {}

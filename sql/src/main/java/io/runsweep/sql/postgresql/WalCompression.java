package io.runsweep.sql.postgresql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * Whether a session of this role on this server can write its WAL's full-page images compressed with lz4: the server
 * writes them whole ({@code wal_compression = off}), has lz4 (PostgreSQL 15 and later, built with it), and lets the
 * role set the parameter (a superuser, or {@code GRANT SET ON PARAMETER wal_compression}).
 *
 * @param setting the session's wal_compression
 * @param lz4 whether the server has lz4 for it
 * @param maySet whether the role may set it (read only where the server has lz4)
 * @param role the connected role, quoted as SQL needs it
 */
public record WalCompression(String setting, boolean lz4, boolean maySet, String role) {

    public static WalCompression read(Connection connection) throws SQLException {
        String setting;
        boolean lz4;
        String role;
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT setting, 'lz4' = ANY (enumvals), quote_ident(current_user)"
                        + " FROM pg_settings WHERE name = 'wal_compression'")) {
            rs.next();
            setting = rs.getString(1);
            lz4 = rs.getBoolean(2);
            role = rs.getString(3);
        }
        if (!"off".equals(setting) || !lz4) {
            return new WalCompression(setting, lz4, false, role);
        }
        // has_parameter_privilege came with PostgreSQL 15, as lz4 for the WAL did.
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT has_parameter_privilege('wal_compression', 'SET')")) {
            rs.next();
            return new WalCompression(setting, true, rs.getBoolean(1), role);
        }
    }

    /** Why a session cannot compress its full-page images with lz4; empty when it can. */
    public Optional<String> whyNot() {
        if (!"off".equals(setting)) {
            return Optional.of("the server's wal_compression is " + setting);
        }
        if (!lz4) {
            return Optional.of("the server has no lz4 for its WAL (PostgreSQL 15 and later, built with lz4)");
        }
        if (!maySet) {
            return Optional.of("the role may not set wal_compression (a superuser may, or a role granted SET ON"
                    + " PARAMETER wal_compression)");
        }
        return Optional.empty();
    }

    /** The grant that would let the role compress, where nothing else stands in the way. */
    public Optional<String> grant() {
        return "off".equals(setting) && lz4 && !maySet
                ? Optional.of("GRANT SET ON PARAMETER wal_compression TO " + role + ";")
                : Optional.empty();
    }
}

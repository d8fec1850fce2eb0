package io.runsweep.bench.measure;

import io.runsweep.sql.Sql;
import io.runsweep.sql.SqlParam.BatchValues;
import io.runsweep.sql.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/**
 * A fingerprint of a set of keys that does not depend on their order: how many, and the sum and XOR of a
 * 64-bit hash of each. Two methods that leave the same fingerprint left the same rows (up to a collision
 * of both 64-bit aggregates at once).
 */
public record RowDigest(long rows, long sum, long xor) {
    public static final RowDigest EMPTY = new RowDigest(0, 0, 0);

    /** Reads every key {@code query} returns (as text), streaming them rather than holding them in memory. */
    public static RowDigest of(Connection connection, Sql query) throws SQLException {
        // pgjdbc streams with a fetch size only inside a transaction.
        return Transactions.rollBack(connection, () -> {
            RowDigest digest = EMPTY;
            try (PreparedStatement s = query.prepare(connection, BatchValues.NONE)) {
                s.setFetchSize(10_000);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        digest = digest.plus(rs.getString(1));
                    }
                }
            }
            return digest;
        });
    }

    /** This fingerprint with one more key, as the database returns it as text. */
    public RowDigest plus(String key) {
        long hash = hash(key);
        return new RowDigest(rows + 1, sum + hash, xor ^ hash);
    }

    /** How the digest is printed: {@code 300000:1a2b...:3c4d...}. */
    public String text() {
        return String.format(Locale.ROOT, "%d:%016x:%016x", rows, sum, xor);
    }

    /** FNV-1a over the characters, then SplitMix64's finaliser so that similar keys land far apart. */
    private static long hash(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}

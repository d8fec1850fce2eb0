package io.runsweep.config;

import java.time.Duration;
import java.util.Optional;

/** Reads {@code runsweep.database}. */
final class DatabaseReader {
    private DatabaseReader() {}

    /** Empty when a value was bad; the problem is already recorded. */
    static Optional<DatabaseSettings> read(Fields db) {
        int before = db.problems().count();
        Optional<String> url = db.optionalString("url");
        Optional<String> user = db.optionalString("user");
        Optional<Secret> password = db.optionalString("password").map(Secret::new);
        Optional<Integer> poolSize = db.whole("pool-size", 1, 64);
        Optional<Duration> connectTimeout = db.duration("connect-timeout", false);
        Optional<Duration> lockTimeout = db.duration("lock-timeout", false);
        Optional<Duration> busyTimeout = db.duration("busy-timeout", false);
        Optional<Duration> statementTimeout = db.duration("statement-timeout", false);
        Optional<Duration> idleInTransactionTimeout = db.duration("idle-in-transaction-timeout", false);
        if (db.problems().count() > before) {
            return Optional.empty();
        }
        return Optional.of(new DatabaseSettings(
                url,
                user,
                password,
                poolSize.orElseThrow(),
                connectTimeout.orElseThrow(),
                lockTimeout.orElseThrow(),
                busyTimeout.orElseThrow(),
                statementTimeout.orElseThrow(),
                idleInTransactionTimeout.orElseThrow()));
    }
}

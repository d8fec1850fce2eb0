package io.runsweep.sql.postgresql;

import java.nio.file.Path;

/**
 * Where a PostgreSQL server says it keeps a table's files, and what identifies that server, so that a
 * caller on the same host can find them and make sure they belong to this server and not to another.
 *
 * @param dataDirectory {@code current_setting('data_directory')}, as a path on the server's host
 * @param relationPath {@code pg_relation_filepath}, relative to the data directory
 * @param port the server's {@code port} setting
 * @param startedEpochSecond {@code pg_postmaster_start_time()} in whole seconds since the epoch
 */
public record ServerFiles(Path dataDirectory, Path relationPath, int port, long startedEpochSecond) {}

package io.runsweep.jobs.maintenance;

import io.runsweep.jobs.common.Formats;
import io.runsweep.sql.postgresql.ServerFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How much disk a rewrite (VACUUM FULL, SQLite's VACUUM) may use, where that can be known. A rewrite
 * writes a new copy of the data before it drops the old one, so it needs free space about the size of
 * what it rewrites, and fails half-way, having filled the disk, when that is missing.
 */
final class FreeDisk {
    private FreeDisk() {}

    /**
     * Free space on the filesystem that holds {@code path}, or why it cannot be known.
     *
     * @param usableBytes empty when unknown; then {@code unknownBecause} says why
     */
    record Room(Optional<Long> usableBytes, Path where, String unknownBecause) {
        static Room known(long bytes, Path where) {
            return new Room(Optional.of(bytes), where, "");
        }

        static Room unknown(Path where, String because) {
            return new Room(Optional.empty(), where, because);
        }
    }

    /** The refusal to give when {@code needed} bytes do not fit into {@code room}; empty when they do. */
    static Optional<String> shortfall(String what, long needed, Room room) {
        long usable = room.usableBytes().orElseThrow();
        return usable >= needed
                ? Optional.empty()
                : Optional.of(what + " refused: it needs about " + Formats.bytesExact(needed) + " of free disk, and "
                        + room.where() + " has " + Formats.bytesExact(usable) + " free");
    }

    static Room at(Path path) {
        try {
            return Room.known(Files.getFileStore(path).getUsableSpace(), path);
        } catch (IOException | SecurityException e) {
            return Room.unknown(path, "cannot read the free space of " + path + " (" + e.getMessage() + ")");
        }
    }

    /**
     * Free space where a PostgreSQL server keeps a table, seen from this host. Only when the data directory
     * is readable here, and its {@code postmaster.pid} shows the very server Runsweep is connected to (same
     * directory, port and start time): a directory of the same name may belong to another server, such as
     * one in a container, whose disk says nothing about this one's.
     */
    static Room ofServer(ServerFiles files) {
        Path dataDirectory = files.dataDirectory();
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.isReadable(pidFile)) {
            return Room.unknown(
                    dataDirectory,
                    "the server's data directory " + dataDirectory + " cannot be read from"
                            + " this host (the server runs elsewhere, or as a user whose files Runsweep may not read)");
        }
        try {
            if (!sameServer(Files.readAllLines(pidFile), files)) {
                return Room.unknown(
                        dataDirectory,
                        dataDirectory + " on this host belongs to another server than the one"
                                + " Runsweep is connected to (its postmaster.pid names another port or start time)");
            }
        } catch (IOException e) {
            return Room.unknown(dataDirectory, "cannot read " + pidFile + " (" + e.getMessage() + ")");
        }
        return at(dataDirectory.resolve(files.relationPath()).getParent());
    }

    /** postmaster.pid: line 1 the process id, 2 the data directory, 3 the start time (epoch seconds), 4 the port. */
    private static boolean sameServer(List<String> lines, ServerFiles files) {
        if (lines.size() < 4) {
            return false;
        }
        try {
            long started = Long.parseLong(lines.get(2).trim());
            // The server takes the two start times a moment apart, so they may fall either side of a second.
            return Path.of(lines.get(1).trim()).equals(files.dataDirectory())
                    && Integer.parseInt(lines.get(3).trim()) == files.port()
                    && Math.abs(started - files.startedEpochSecond()) <= 2;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}

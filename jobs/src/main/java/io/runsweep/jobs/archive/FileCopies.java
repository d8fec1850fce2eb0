package io.runsweep.jobs.archive;

import io.runsweep.jobs.purge.BatchArchive;
import io.runsweep.sql.TableName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies into gzip JSON Lines files, one per table and run (a new one past {@link #MAX_FILE_BYTES}). Each batch
 * appends one gzip member per table and forces it to disk before the batch commits: after a crash a row may be in
 * a file twice (its batch wrote, then died before committing, and a later run deleted it again), never not at all.
 * A batch that surely did not commit takes its members back off the files' ends.
 */
final class FileCopies implements CopySink {
    static final long MAX_FILE_BYTES = 64L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(FileCopies.class);

    private final ArchiveDirectory directory;
    private final String runId;
    private final Instant started;
    private final Map<TableName, DataFile> files = new LinkedHashMap<>();
    private final Map<TableName, Part> pending = new LinkedHashMap<>();
    private final List<Appended> appended = new ArrayList<>();
    private final List<Integer> uncertainBatches = new ArrayList<>();
    private int batches;

    FileCopies(ArchiveDirectory directory, Instant started) throws IOException {
        this.directory = directory;
        this.started = started;
        this.runId = directory.freeRunId(started);
    }

    @Override
    public String form() {
        return "directory";
    }

    /** One batch's rows of one table, compressed, not yet on disk. */
    private record Part(byte[] bytes, long rows, List<String> columns, Instant archivedAt) {}

    /** A member appended to a file by the batch under way, and the file's length before it. */
    private record Appended(DataFile file, long before, Part part) {}

    @Override
    public void add(Connection connection, Captured rows, Instant archivedAt) {
        if (rows.size() == 0) {
            return;
        }
        List<String> columns = rows.columnNames();
        Part part = new Part(GzipParts.member(JsonRows.lines(columns, rows.rows())), rows.size(), columns, archivedAt);
        pending.merge(
                rows.table().name(),
                part,
                (a, b) -> new Part(concat(a.bytes(), b.bytes()), a.rows() + b.rows(), a.columns(), a.archivedAt()));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Override
    public void seal() throws SQLException {
        try {
            for (Map.Entry<TableName, Part> entry : pending.entrySet()) {
                DataFile file = fileFor(entry.getKey(), entry.getValue());
                long before = file.size;
                file.append(entry.getValue().bytes());
                appended.add(new Appended(file, before, entry.getValue()));
            }
        } catch (IOException e) {
            throw new SQLException(
                    "archive: could not write the batch's copies under " + directory.path() + ": " + e.getMessage()
                            + "; nothing of this batch was deleted",
                    e);
        }
    }

    /** The table's file of this run, or its next one once the current one is full. */
    private DataFile fileFor(TableName table, Part part) throws IOException {
        DataFile file = files.get(table);
        if (file == null || file.size + part.bytes().length > MAX_FILE_BYTES && file.size > 0) {
            int sequence = file == null ? 1 : file.sequence + 1;
            file = DataFile.create(directory.dataFile(table, runId, sequence), table, sequence, part.columns());
            files.put(table, file);
        }
        return file;
    }

    @Override
    public long ended(BatchArchive.Outcome outcome) {
        batches++;
        long bytes = 0;
        if (outcome == BatchArchive.Outcome.ROLLED_BACK) {
            for (Appended a : appended) {
                a.file().truncate(a.before());
            }
        } else {
            if (outcome == BatchArchive.Outcome.UNKNOWN) {
                uncertainBatches.add(batches);
            }
            for (Appended a : appended) {
                a.file().committed(a.part().bytes(), a.part().rows(), a.part().archivedAt());
                bytes += a.part().bytes().length;
            }
        }
        appended.clear();
        pending.clear();
        return bytes;
    }

    /** Writes the run's manifest: each file with its rows, bytes and SHA-256. */
    @Override
    public void close() {
        files.values().forEach(DataFile::close);
        if (files.isEmpty()) {
            return;
        }
        try {
            Manifest.write(directory, runId, started, Instant.now(), batches, uncertainBatches, files.values());
        } catch (IOException e) {
            LOG.warn(
                    "archive: could not write the manifest of run {} under {}: {}",
                    runId,
                    directory.path(),
                    e.getMessage());
        }
    }

    /** One file being written: its channel, its length, and what is known of its committed contents. */
    static final class DataFile {
        final Path path;
        final TableName table;
        final int sequence;
        final List<String> columns;
        private final FileChannel channel;
        private final MessageDigest sha256;
        long size;
        long rows;
        Instant first;
        Instant last;

        private DataFile(Path path, TableName table, int sequence, List<String> columns, FileChannel channel) {
            this.path = path;
            this.table = table;
            this.sequence = sequence;
            this.columns = List.copyOf(columns);
            this.channel = channel;
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
        }

        static DataFile create(Path path, TableName table, int sequence, List<String> columns) throws IOException {
            Path parent = path.getParent();
            boolean newDirectory = !Files.isDirectory(parent);
            Files.createDirectories(parent);
            FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            ArchiveDirectory.syncDirectory(parent);
            if (newDirectory) {
                ArchiveDirectory.syncDirectory(parent.getParent());
            }
            return new DataFile(path, table, sequence, columns, channel);
        }

        void append(byte[] bytes) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long at = size;
            while (buffer.hasRemaining()) {
                at += channel.write(buffer, at);
            }
            channel.force(false);
            size = at;
        }

        void truncate(long length) {
            try {
                channel.truncate(length);
                channel.force(false);
                size = length;
            } catch (IOException e) {
                // The member stays: its rows were not deleted, so a reader skips them as rows that exist.
                LOG.warn("archive: could not take a rolled-back batch's copies off {}: {}", path, e.getMessage());
            }
        }

        void committed(byte[] bytes, long partRows, Instant at) {
            sha256.update(bytes);
            rows += partRows;
            first = first == null ? at : first;
            last = at;
        }

        String sha256() {
            try {
                return HexFormat.of().formatHex(((MessageDigest) sha256.clone()).digest());
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("SHA-256 digests can be cloned", e);
            }
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

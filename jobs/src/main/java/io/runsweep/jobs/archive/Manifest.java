package io.runsweep.jobs.archive;

import io.runsweep.jobs.common.JsonWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * A run's manifest: what it archived, file by file, with each file's SHA-256, so that a reader can tell a file is
 * whole. Written once, when the run ends, in one atomic rename; a run killed before has none, and its files are
 * still read (member by member, each checked against its own CRC-32). docs/archive.md gives its fields.
 */
final class Manifest {
    static final String FORMAT = "runsweep-archive/1";

    private Manifest() {}

    static void write(
            ArchiveDirectory directory,
            String runId,
            Instant started,
            Instant finished,
            int batches,
            List<Integer> uncertainBatches,
            Collection<FileCopies.DataFile> files)
            throws IOException {
        JsonWriter json = new JsonWriter()
                .beginObject()
                .field("format", FORMAT)
                .field("policy", directory.path().getFileName().toString())
                .field("run", runId)
                .field("started_at", started.toString())
                .field("finished_at", finished.toString())
                .field("batches", batches)
                .name("uncertain_batches")
                .beginArray();
        uncertainBatches.forEach(json::value);
        json.endArray().name("files").beginArray();
        for (FileCopies.DataFile file : files) {
            json.beginObject()
                    .field("table", file.table.toString())
                    .field("path", directory.path().relativize(file.path).toString())
                    .field("rows", file.rows)
                    .field("bytes", file.size)
                    .field("sha256", file.sha256())
                    .field("first_archived_at", file.first == null ? null : file.first.toString())
                    .field("last_archived_at", file.last == null ? null : file.last.toString())
                    .name("columns")
                    .beginArray();
            file.columns.forEach(json::value);
            json.endArray().endObject();
        }
        byte[] text = (json.endArray().endObject() + "\n").getBytes(StandardCharsets.UTF_8);
        Path target = directory.manifest(runId);
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(temporary, text);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        ArchiveDirectory.syncDirectory(directory.path());
    }
}

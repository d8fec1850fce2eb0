package io.runsweep.jobs.archive;

import io.runsweep.sql.TableName;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where a policy's archive files are: {@code <directory>/<policy>/<table>/<run>-<seq>.jsonl.gz}, and one
 * {@code <directory>/<policy>/<run>.manifest.json} per run, the run named by when it started, in UTC.
 */
final class ArchiveDirectory {
    static final DateTimeFormatter RUN =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern DATA = Pattern.compile("(\\d{8}T\\d{6}\\.\\d{3}Z)-(\\d{4,})\\.jsonl\\.gz");
    private static final Pattern MANIFEST = Pattern.compile("(\\d{8}T\\d{6}\\.\\d{3}Z)\\.manifest\\.json");

    private final Path policyDirectory;

    ArchiveDirectory(Path policyDirectory) {
        this.policyDirectory = policyDirectory;
    }

    Path path() {
        return policyDirectory;
    }

    static String runId(Instant started) {
        return RUN.format(started);
    }

    static Instant runStart(String runId) {
        return Instant.from(RUN.parse(runId));
    }

    /** The run's name, a millisecond later for each run already named so (a sweep and the daemon, say). */
    String freeRunId(Instant started) throws IOException {
        java.util.Set<String> taken = new java.util.HashSet<>();
        runs().forEach(r -> taken.add(r.id()));
        Instant at = started;
        while (taken.contains(runId(at))) {
            at = at.plusMillis(1);
        }
        return runId(at);
    }

    Path tableDirectory(TableName table) {
        return policyDirectory.resolve(table.toString());
    }

    Path dataFile(TableName table, String runId, int sequence) {
        return tableDirectory(table).resolve(runId + "-" + String.format("%04d", sequence) + ".jsonl.gz");
    }

    Path manifest(String runId) {
        return policyDirectory.resolve(runId + ".manifest.json");
    }

    /** A run's data files by table, and its manifest when it wrote one (an interrupted run did not). */
    record Run(String id, Map<String, List<Path>> files, Optional<Path> manifest) {
        Instant started() {
            return runStart(id);
        }
    }

    /** Every run found here, oldest first. */
    List<Run> runs() throws IOException {
        Map<String, Map<String, List<Path>>> files = new TreeMap<>();
        Map<String, Path> manifests = new TreeMap<>();
        if (!Files.isDirectory(policyDirectory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(policyDirectory)) {
            for (Path entry : entries.sorted().toList()) {
                Matcher m = MANIFEST.matcher(entry.getFileName().toString());
                if (m.matches()) {
                    manifests.put(m.group(1), entry);
                } else if (Files.isDirectory(entry)) {
                    collect(entry, files);
                }
            }
        }
        List<Run> runs = new ArrayList<>();
        java.util.Set<String> ids = new java.util.TreeSet<>(files.keySet());
        ids.addAll(manifests.keySet());
        for (String id : ids) {
            runs.add(new Run(id, files.getOrDefault(id, Map.of()), Optional.ofNullable(manifests.get(id))));
        }
        return runs;
    }

    private static void collect(Path tableDirectory, Map<String, Map<String, List<Path>>> into) throws IOException {
        String table = tableDirectory.getFileName().toString();
        try (Stream<Path> entries = Files.list(tableDirectory)) {
            for (Path file : entries.sorted().toList()) {
                Matcher m = DATA.matcher(file.getFileName().toString());
                if (m.matches()) {
                    into.computeIfAbsent(m.group(1), k -> new TreeMap<>())
                            .computeIfAbsent(table, k -> new ArrayList<>())
                            .add(file);
                }
            }
        }
    }

    /** Makes a new directory entry durable: the file survives a crash, not only its contents. */
    static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}

package io.runsweep.jobs.archive;

import io.runsweep.config.PolicySettings;
import io.runsweep.jobs.common.Errors;
import io.runsweep.jobs.common.JsonReader;
import io.runsweep.jobs.purge.ArchivePlan;
import io.runsweep.jobs.purge.PlanException;
import io.runsweep.jobs.purge.PurgePlanner;
import io.runsweep.sql.ArchiveSql;
import io.runsweep.sql.Database;
import io.runsweep.sql.SqlParam.BatchValues;
import io.runsweep.sql.TableName;
import io.runsweep.sql.connect.Databases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What each policy has archived: its archive tables' rows and times, its runs' files, checked on request. */
public final class ArchiveCatalog {
    private final Database database;
    private final ArchiveSql sql;
    private final Clock clock;

    public ArchiveCatalog(Database database, Clock clock) {
        this.database = database;
        this.sql = Databases.archiveSql(database.kind());
        this.clock = clock;
    }

    /** @param verify read every file: check each against its manifest's SHA-256 and count the rows it holds */
    public ArchiveListing list(PolicySettings policy, boolean verify) {
        String name = ArchivePlanner.archiveName(policy.name());
        Optional<String> schema = policy.archive().schema();
        Optional<Path> directory = policy.archive().directory().map(d -> d.resolve(name));
        try {
            List<ArchiveListing.TableCopies> tables = schema.isPresent() ? tables(policy) : List.of();
            List<ArchiveListing.RunFiles> runs = new ArrayList<>();
            if (directory.isPresent()) {
                for (ArchiveDirectory.Run run : new ArchiveDirectory(directory.get()).runs()) {
                    runs.add(run(directory.get(), run, verify));
                }
            }
            return new ArchiveListing(name, schema, directory.map(Path::toString), tables, runs, Optional.empty());
        } catch (PlanException | IOException e) {
            return failed(name, schema, directory, e.getMessage());
        } catch (SQLException e) {
            return failed(name, schema, directory, Errors.describe(e));
        }
    }

    private static ArchiveListing failed(String name, Optional<String> schema, Optional<Path> directory, String why) {
        return new ArchiveListing(name, schema, directory.map(Path::toString), List.of(), List.of(), Optional.of(why));
    }

    private List<ArchiveListing.TableCopies> tables(PolicySettings policy) throws SQLException {
        List<ArchiveListing.TableCopies> tables = new ArrayList<>();
        try (Connection c = database.connection()) {
            ArchivePlan archive = new ArchivePlanner(database.dialect(), sql)
                    .plan(c, new PurgePlanner(database.dialect()).plan(c, policy, clock.instant()))
                    .archive()
                    .orElseThrow();
            for (Map.Entry<TableName, TableName> e : archive.archiveTables().entrySet()) {
                if (sql.existing(c, e.getValue()).isEmpty()) {
                    continue;
                }
                try (PreparedStatement s = sql.summarizeArchived(e.getValue(), archive.policy())
                                .prepare(c, BatchValues.NONE);
                        ResultSet rs = s.executeQuery()) {
                    rs.next();
                    tables.add(new ArchiveListing.TableCopies(
                            e.getKey().toString(),
                            e.getValue().toString(),
                            rs.getLong(1),
                            Optional.ofNullable(sql.readArchivedAt(rs, 2)),
                            Optional.ofNullable(sql.readArchivedAt(rs, 3))));
                }
            }
        }
        return tables;
    }

    private static ArchiveListing.RunFiles run(Path policyDirectory, ArchiveDirectory.Run run, boolean verify)
            throws IOException {
        List<Path> files = run.files().values().stream().flatMap(List::stream).toList();
        long bytes = 0;
        for (Path file : files) {
            bytes += Files.size(file);
        }
        List<String> problems = new ArrayList<>();
        long rows = 0;
        long leftOver = 0;
        Map<String, Map<?, ?>> listed =
                run.manifest().isPresent() ? manifestFiles(run.manifest().get()) : Map.of();
        if (run.manifest().isPresent() && !verify) {
            rows = listed.values().stream().mapToLong(f -> (Long) f.get("rows")).sum();
        } else {
            for (Path file : files) {
                GzipParts.Contents contents = GzipParts.read(file);
                leftOver += contents.leftOver();
                rows += contents.members().stream()
                        .mapToLong(m -> m.chars().filter(ch -> ch == '\n').count())
                        .sum();
                if (verify && run.manifest().isPresent()) {
                    check(policyDirectory, file, listed, problems);
                }
            }
        }
        return new ArchiveListing.RunFiles(
                run.id(), run.started(), run.manifest().isPresent(), files.size(), rows, bytes, leftOver, problems);
    }

    /** The manifest's files, by path relative to the policy's directory. */
    private static Map<String, Map<?, ?>> manifestFiles(Path manifest) throws IOException {
        Map<String, Map<?, ?>> files = new java.util.LinkedHashMap<>();
        Object parsed = JsonReader.parse(Files.readString(manifest));
        if (parsed instanceof Map<?, ?> m && m.get("files") instanceof List<?> list) {
            for (Object entry : list) {
                if (entry instanceof Map<?, ?> file && file.get("path") instanceof String path) {
                    files.put(path, file);
                }
            }
        }
        return files;
    }

    private static void check(Path policyDirectory, Path file, Map<String, Map<?, ?>> listed, List<String> problems)
            throws IOException {
        String path = policyDirectory.relativize(file).toString();
        Map<?, ?> entry = listed.get(path);
        if (entry == null) {
            problems.add(path + ": not in the manifest");
            return;
        }
        String actual = sha256(file);
        if (!actual.equals(entry.get("sha256"))) {
            problems.add(path + ": SHA-256 " + actual + ", the manifest says " + entry.get("sha256"));
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}

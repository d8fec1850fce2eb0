package io.runsweep.bench.postgresql;

import io.runsweep.sql.DatabaseUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A throwaway server from PostgreSQL binaries installed on this machine ({@code --server-binaries}), such as
 * Debian's /usr/lib/postgresql/15/bin, configured as the embedded one is ({@link ThrowawayServer#SETTINGS}): for what
 * the embedded binaries lack, lz4 for the WAL first of all. Its data lives in a temporary folder deleted when it
 * stops. PostgreSQL refuses to run as root, so as root its commands run as the system's postgres user.
 */
public final class InstalledServer implements ThrowawayServer {
    private static final List<String> COMMANDS = List.of("initdb", "pg_ctl", "postgres");
    private static final String SYSTEM_USER = "postgres";
    private static final String PREFIX = "runsweep-bench-pg-";
    /** In the server's folder: the process id of the bench that started it. */
    private static final String OWNER = "bench.pid";

    private static final long COMMAND_TIMEOUT_SECONDS = 120;
    /** Where PostgreSQL's packages put each major version's binaries: Debian and Ubuntu's, then the PGDG's RPMs. */
    private static final List<Pattern> PACKAGED =
            List.of(Pattern.compile("/usr/lib/postgresql/(\\d+)/bin"), Pattern.compile("/usr/pgsql-(\\d+)/bin"));

    /** Binaries of PostgreSQL 15 or later that can compress the WAL's full-page images with lz4. */
    public record WithLz4(Path bin, String version) {}

    private final Path bin;
    private final Path base;
    private final Path data;
    private final int port;
    private final Thread stopAtExit;

    private InstalledServer(Path bin, Path base, Path data, int port) {
        this.bin = bin;
        this.base = base;
        this.data = data;
        this.port = port;
        this.stopAtExit = new Thread(() -> stopAndDelete("fast"), "runsweep-bench-server-stop");
    }

    /** Why no server can be started from {@code bin}; empty when one can. */
    public static Optional<String> whyNot(Path bin) {
        for (String command : COMMANDS) {
            if (!Files.isExecutable(bin.resolve(command))) {
                return Optional.of("no " + command + " in " + bin);
            }
        }
        if (root() && systemUser().isEmpty()) {
            return Optional.of(
                    "PostgreSQL refuses to run as root, and there is no system user " + SYSTEM_USER + " to run it as");
        }
        return Optional.empty();
    }

    /**
     * The newest binaries that PostgreSQL's packages installed here, of version 15 or later and built with lz4;
     * empty when there are none.
     */
    public static Optional<WithLz4> findWithLz4() {
        List<Path> found = new ArrayList<>();
        for (Path root : List.of(Path.of("/usr/lib/postgresql"), Path.of("/usr"))) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (DirectoryStream<Path> children = Files.newDirectoryStream(root)) {
                children.forEach(child -> found.add(child.resolve("bin")));
            } catch (IOException | UncheckedIOException e) {
                // an unreadable folder holds no binaries this bench can use
            }
        }
        return found.stream()
                .filter(bin -> major(bin) >= 15)
                .sorted(Comparator.comparingInt(InstalledServer::major).reversed())
                .filter(bin -> whyNot(bin).isEmpty())
                .flatMap(bin -> withLz4(bin).stream())
                .findFirst();
    }

    /**
     * The version {@code bin}'s pg_config reports, where its configure flags say the binaries were built with lz4. A
     * build whose flags do not say so is not named: the bench advises only what it has checked.
     */
    static Optional<WithLz4> withLz4(Path bin) {
        Path pgConfig = bin.resolve("pg_config");
        if (!Files.isExecutable(pgConfig)) {
            return Optional.empty();
        }
        try {
            if (!output("pg_config", List.of(pgConfig.toString(), "--configure"))
                    .contains("'--with-lz4'")) {
                return Optional.empty();
            }
            return Optional.of(new WithLz4(bin, output("pg_config", List.of(pgConfig.toString(), "--version"))));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The major version a package's folder is named for, or 0. */
    private static int major(Path bin) {
        for (Pattern pattern : PACKAGED) {
            Matcher m = pattern.matcher(bin.toString());
            if (m.matches()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return 0;
    }

    /** Starts a new server from {@code bin}, which {@link #whyNot} accepted; stopped at the JVM's exit if not before. */
    public static InstalledServer start(Path bin) throws IOException, InterruptedException {
        stopOrphans(bin);
        Path base = Files.createTempDirectory(PREFIX);
        Files.writeString(
                base.resolve(OWNER), Long.toString(ProcessHandle.current().pid()));
        // The system user reads its way through to the data folder.
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = Files.createDirectory(base.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        if (root()) {
            Files.setOwner(data, systemUser().orElseThrow());
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        InstalledServer server = new InstalledServer(bin, base, data, port);
        try {
            server.run("initdb", "-D", data.toString(), "-A", "trust", "-U", "postgres", "-E", "UTF-8");
            Runtime.getRuntime().addShutdownHook(server.stopAtExit);
            server.run(
                    "pg_ctl",
                    "-D",
                    data.toString(),
                    "-l",
                    data.resolve("server.log").toString(),
                    "-w",
                    "-o",
                    server.options(),
                    "start");
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * Stops and deletes the servers of benches that were killed before they could (kill -9): their folder names a
     * process that is gone.
     */
    private static void stopOrphans(Path bin) {
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(temp, PREFIX + "*")) {
            for (Path folder : folders) {
                Path owner = folder.resolve(OWNER);
                if (!Files.isRegularFile(owner)) {
                    continue;
                }
                long pid = Long.parseLong(Files.readString(owner).strip());
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                InstalledServer orphan = new InstalledServer(bin, folder, folder.resolve("data"), 0);
                try {
                    orphan.stopAndDelete("immediate");
                } catch (UncheckedIOException e) {
                    // another user's, or already going: left as it is
                }
            }
        } catch (IOException | NumberFormatException e) {
            // nothing this bench may clean up
        }
    }

    /**
     * Listening on the loopback only, with no Unix socket: its default folder (Debian's /var/run/postgresql) belongs
     * to the system's own server, and may not be writable.
     */
    private String options() {
        return "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
                + SETTINGS.entrySet().stream()
                        .sorted(java.util.Map.Entry.comparingByKey())
                        .map(s -> " -c " + s.getKey() + "=" + s.getValue())
                        .collect(Collectors.joining());
    }

    /** The temporary folder the server's data lives in. */
    Path folder() {
        return base;
    }

    @Override
    public DatabaseUrl url() {
        return DatabaseUrl.parse("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres");
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // the JVM is exiting and the hook runs, or the server never got as far as starting
        }
        stopAndDelete("fast");
    }

    /** Deletes the folder once the server is stopped; a server that would not stop keeps its folder. */
    private synchronized void stopAndDelete(String mode) {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                run("pg_ctl", "-D", data.toString(), "-m", mode, "-w", "stop");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop the PostgreSQL server in " + data, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        deleteBase();
    }

    private void deleteBase() {
        if (!Files.exists(base)) {
            return;
        }
        try (Stream<Path> all = Files.walk(base)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the PostgreSQL server's folder " + base, e);
        }
    }

    /** Runs one of the server's commands, as the system user when root; a failure says what the server logged. */
    private void run(String command, String... arguments) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>();
        if (root()) {
            all.addAll(List.of("runuser", "-u", SYSTEM_USER, "--"));
        }
        all.add(bin.resolve(command).toString());
        all.addAll(List.of(arguments));
        try {
            output(command, all);
        } catch (IOException e) {
            Path serverLog = data.resolve("server.log");
            if (!Files.isReadable(serverLog)) {
                throw e;
            }
            throw new IOException(
                    e.getMessage() + "; the server's log: "
                            + Files.readString(serverLog).strip(),
                    e);
        }
    }

    /**
     * What {@code command}, named {@code name} in errors, printed, stripped. Its output goes through a file, not a pipe: a server that pg_ctl starts
     * may keep what pg_ctl was given open after pg_ctl has ended.
     */
    private static String output(String name, List<String> command) throws IOException, InterruptedException {
        Path printed = Files.createTempFile("runsweep-bench-command-", ".log");
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(printed.toFile())
                    .start();
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(name + " took over " + COMMAND_TIMEOUT_SECONDS + " s");
            }
            String out = Files.readString(printed).strip();
            if (p.exitValue() != 0) {
                throw new IOException(name + " failed (exit " + p.exitValue() + "): " + out);
            }
            return out;
        } finally {
            Files.deleteIfExists(printed);
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Optional<UserPrincipal> systemUser() {
        try {
            return Optional.of(
                    Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SYSTEM_USER));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}

package io.runsweep.sql.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway server from the system's PostgreSQL 15 (Debian's postgresql-15), for what the embedded binaries
 * cannot do: load an extension they do not carry, such as pg_partman. PostgreSQL refuses to run as root, so as
 * root its commands run as the system's postgres user.
 */
public final class SystemPostgres implements AutoCloseable {
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final Path EXTENSIONS = Path.of("/usr/share/postgresql/15/extension");

    private final Path base;
    private final Path data;
    private final int port;

    private SystemPostgres(Path base, Path data, int port) {
        this.base = base;
        this.data = data;
        this.port = port;
    }

    /** Why such a server cannot be had here, or empty when it can. */
    public static java.util.Optional<String> missing() {
        if (!Files.isExecutable(BIN.resolve("initdb")) || !Files.isExecutable(BIN.resolve("pg_ctl"))) {
            return java.util.Optional.of("no PostgreSQL 15 server binaries in " + BIN + " (Debian's postgresql-15)");
        }
        return java.util.Optional.empty();
    }

    /** Why such a server cannot be had here, or empty when it can, with {@code extension} installed. */
    public static java.util.Optional<String> missing(String extension) {
        java.util.Optional<String> server = missing();
        if (server.isPresent()) {
            return server;
        }
        if (!Files.exists(EXTENSIONS.resolve(extension + ".control"))) {
            return java.util.Optional.of("extension " + extension + " is not installed in " + EXTENSIONS);
        }
        return java.util.Optional.empty();
    }

    public static SystemPostgres start() throws IOException, InterruptedException {
        Path base = Files.createTempDirectory("runsweep-pg-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = Files.createDirectory(base.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        if (root()) {
            UserPrincipal postgres =
                    base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(data, postgres);
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        SystemPostgres server = new SystemPostgres(base, data, port);
        server.run(BIN.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres");
        server.run(
                BIN.resolve("pg_ctl").toString(),
                "-D",
                data.toString(),
                "-l",
                data.resolve("server.log").toString(),
                "-w",
                "-o",
                "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''",
                "start");
        return server;
    }

    public String jdbcUrl(String database) {
        return jdbcUrl(database, "postgres");
    }

    /** Any role logs in without a password ({@code initdb -A trust}). */
    public String jdbcUrl(String database, String user) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + user;
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private void run(String... command) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>();
        if (root()) {
            all.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        all.addAll(List.of(command));
        Path log = base.resolve("command.log");
        Process p = new ProcessBuilder(all)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", all) + " failed: " + Files.readString(log));
        }
    }

    @Override
    public void close() throws IOException {
        try {
            run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try (Stream<Path> all = Files.walk(base)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}

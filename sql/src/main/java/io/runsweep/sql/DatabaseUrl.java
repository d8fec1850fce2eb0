package io.runsweep.sql;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the run-history database is, as a JDBC URL plus credentials kept apart from it. The JDBC URL
 * never carries the password (parsing moves it out), so the URL may be logged; {@link #toString()}
 * and {@link #redacted()} show the password as {@code ****}.
 */
public record DatabaseUrl(DatabaseKind kind, String jdbcUrl, Optional<String> user, Optional<String> password) {

    public static final String ACCEPTED_FORMS = "jdbc:postgresql://host[:port]/db[?params], jdbc:sqlite:PATH, "
            + "postgresql[+asyncpg|+psycopg2]://user:password@host[:port]/db[?sslmode=...], postgres://..., "
            + "sqlite[+aiosqlite]:///relative/path.db, sqlite[+aiosqlite]:////absolute/path.db";

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseUrl.class);
    private static final String MASK = "****";
    private static final String JDBC_POSTGRES = "jdbc:postgresql:";
    private static final String JDBC_SQLITE = "jdbc:sqlite:";
    private static final int DEFAULT_PG_PORT = 5432;

    // SQLAlchemy's own URL pattern (sqlalchemy.engine.url._parse_url), so a URL means here what it
    // means to Prefect: the password runs to the first '@' and may hold ':', '/' and '?' unencoded.
    private static final Pattern SQLALCHEMY = Pattern.compile(
            "(?<scheme>[\\w+]+)://"
                    + "(?:(?<user>[^:/]*)(?::(?<password>[^@]*))?@)?"
                    + "(?:(?:\\[(?<ipv6>[^/?]+)]|(?<host>[^/:?]+))?(?::(?<port>[^/?]*))?)?"
                    + "(?:/(?<database>[^?]*))?"
                    + "(?:\\?(?<query>.*))?",
            Pattern.DOTALL);
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    /** Any parameter whose name says it holds a secret: password, sslpassword, sslKeyStorePassword, ... */
    private static final Pattern PASSWORD_PARAM =
            Pattern.compile("(?i)([A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token)=)[^&;\\s]*");

    private static final List<String> SSL_MODES =
            List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    // Parameters pgjdbc understands under the same name as libpq; anything else in a SQLAlchemy URL
    // is meant for asyncpg or psycopg and is dropped rather than passed to pgjdbc, which would reject it.
    private static final Set<String> PG_PASS_THROUGH =
            Set.of("sslrootcert", "sslcert", "sslkey", "sslpassword", "options");
    // pysqlite/aiosqlite connect() arguments; the rest of a uri=true query belongs to the SQLite URI.
    private static final Set<String> PYSQLITE_ARGS = Set.of(
            "uri", "timeout", "check_same_thread", "isolation_level", "detect_types", "cached_statements", "factory");

    public DatabaseUrl {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        String prefix = kind == DatabaseKind.POSTGRESQL ? JDBC_POSTGRES : JDBC_SQLITE;
        if (!jdbcUrl.startsWith(prefix)) {
            throw new IllegalArgumentException(kind + " URL must start with " + prefix + ": " + redact(jdbcUrl));
        }
    }

    /** Reads a JDBC URL or a SQLAlchemy URL as Prefect takes it; see {@link #ACCEPTED_FORMS}. */
    public static DatabaseUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("The database URL is empty. Accepted forms: " + ACCEPTED_FORMS);
        }
        String u = url.strip();
        if (u.startsWith(JDBC_POSTGRES)) {
            return jdbcPostgres(u);
        }
        if (u.startsWith(JDBC_SQLITE)) {
            return sqlite(u, u.substring(JDBC_SQLITE.length()));
        }
        Matcher m = SQLALCHEMY.matcher(u);
        String scheme = m.matches() ? m.group("scheme").toLowerCase(Locale.ROOT) : "";
        if (scheme.equals("postgres") || scheme.equals("postgresql") || scheme.startsWith("postgresql+")) {
            return sqlAlchemyPostgres(u, m);
        }
        if (scheme.equals("sqlite") || scheme.startsWith("sqlite+")) {
            return sqlAlchemySqlite(u, m);
        }
        throw invalid(u, "not a PostgreSQL or SQLite URL");
    }

    /**
     * The database a Prefect server with this environment uses, by Prefect's own precedence: its
     * connection URL setting (the Prefect 3 name first, then the older one), else {@code prefect.db}
     * in {@code PREFECT_HOME}, else in {@code ~/.prefect}.
     */
    public static DatabaseUrl prefectDefault(Map<String, String> env, Path userHome) {
        return prefectConfigured(env, userHome)
                .orElseGet(() -> ofSqliteFile(userHome.resolve(".prefect").resolve("prefect.db")));
    }

    /**
     * The database Prefect's own environment names, when it names one: a connection URL setting, else
     * {@code prefect.db} in {@code PREFECT_HOME}. Empty when none of {@link #PREFECT_VARIABLES} is set.
     */
    public static Optional<DatabaseUrl> prefectConfigured(Map<String, String> env, Path userHome) {
        for (String name : List.of("PREFECT_SERVER_DATABASE_CONNECTION_URL", "PREFECT_API_DATABASE_CONNECTION_URL")) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                try {
                    return Optional.of(parse(value));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
                }
            }
        }
        String home = env.get("PREFECT_HOME");
        return home == null || home.isBlank()
                ? Optional.empty()
                : Optional.of(ofSqliteFile(expandUser(home.strip(), userHome).resolve("prefect.db")));
    }

    /** The variables of Prefect's environment that name its database, in the order they are read. */
    public static final List<String> PREFECT_VARIABLES =
            List.of("PREFECT_SERVER_DATABASE_CONNECTION_URL", "PREFECT_API_DATABASE_CONNECTION_URL", "PREFECT_HOME");

    public static DatabaseUrl ofSqliteFile(Path file) {
        return new DatabaseUrl(DatabaseKind.SQLITE, JDBC_SQLITE + file, Optional.empty(), Optional.empty());
    }

    /**
     * Explicit settings win over what the URL carried; an empty one keeps the URL's. SQLite has no
     * credentials, so there this returns the URL unchanged.
     */
    public DatabaseUrl withCredentials(Optional<String> newUser, Optional<String> newPassword) {
        if (kind == DatabaseKind.SQLITE) {
            return this;
        }
        return new DatabaseUrl(kind, jdbcUrl, newUser.or(() -> user), newPassword.or(() -> password));
    }

    /** The JDBC URL with user and a masked password appended as parameters, for logs and display. */
    public String redacted() {
        StringBuilder out = new StringBuilder(redact(jdbcUrl));
        user.ifPresent(u -> appendParam(out, "user=" + u));
        password.ifPresent(p -> appendParam(out, "password=" + MASK));
        return out.toString();
    }

    /**
     * Masks the password in any URL, parseable or not: {@code user:password@} and {@code password=}
     * parameters. It errs towards masking too much, since it also serves input that failed to parse.
     */
    public static String redact(String anyUrl) {
        if (anyUrl == null) {
            return "";
        }
        return PASSWORD_PARAM.matcher(maskUserInfo(anyUrl)).replaceAll("$1" + MASK);
    }

    /** The database file of a SQLite URL, as SQLite resolves it (relative paths from the working directory). */
    public Optional<Path> sqliteFile() {
        if (kind != DatabaseKind.SQLITE) {
            return Optional.empty();
        }
        String name = jdbcUrl.substring(JDBC_SQLITE.length());
        if (!name.startsWith("file:")) {
            return Optional.of(Path.of(beforeQuery(name)));
        }
        String path = beforeQuery(name.substring("file:".length()));
        if (path.startsWith("//")) {
            int slash = path.indexOf('/', 2);
            path = slash < 0 ? "" : path.substring(slash);
        }
        return Optional.of(Path.of(unquote(path)));
    }

    @Override
    public String toString() {
        return "DatabaseUrl[" + kind + " " + redacted() + "]";
    }

    private static DatabaseUrl jdbcPostgres(String url) {
        String rest = url.substring(JDBC_POSTGRES.length());
        int q = rest.indexOf('?');
        String base = q < 0 ? rest : rest.substring(0, q);
        if (base.contains("@")) {
            // pgjdbc would read "user:password@host" as a host name and might echo it in an error.
            throw invalid(
                    url,
                    "pgjdbc takes no user:password@ in the host part; use ?user=...&password=... "
                            + "or the database user and password settings");
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        StringJoiner kept = new StringJoiner("&", "?", "").setEmptyValue("");
        for (String param : q < 0 ? new String[0] : rest.substring(q + 1).split("&")) {
            if (param.startsWith("user=")) {
                user = Optional.of(formDecode(url, param.substring(5)));
            } else if (param.startsWith("password=")) {
                password = Optional.of(formDecode(url, param.substring(9)));
            } else if (!param.isEmpty()) {
                kept.add(param);
            }
        }
        return new DatabaseUrl(DatabaseKind.POSTGRESQL, JDBC_POSTGRES + base + kept, user, password);
    }

    private static DatabaseUrl sqlAlchemyPostgres(String url, Matcher m) {
        if ((m.group("host") + m.group("port")).contains("@")) {
            // Quoting the host here would show the tail of the password.
            throw invalid(url, "an unencoded '@' in the user name or password: percent-encode it as %40");
        }
        Map<String, List<String>> query = queryParams(url, m.group("query"));
        String hosts = m.group("ipv6") == null && m.group("host") == null
                ? hostsFromQuery(url, query, m.group("port"))
                : hostAndPort(url, m.group("ipv6"), m.group("host"), m.group("port"));
        String database = m.group("database") == null ? "" : m.group("database");
        String jdbc = JDBC_POSTGRES + "//" + hosts + "/" + database + pgjdbcParams(url, query);
        return new DatabaseUrl(DatabaseKind.POSTGRESQL, jdbc, nonEmpty(m.group("user")), nonEmpty(m.group("password")));
    }

    // asyncpg and psycopg take "?host=h1:5432&host=h2" when the host part is empty.
    private static String hostsFromQuery(String url, Map<String, List<String>> query, String port) {
        List<String> hosts = query.getOrDefault("host", List.of());
        if (hosts.isEmpty()) {
            return hostAndPort(url, null, "localhost", port);
        }
        List<String> out = new ArrayList<>();
        for (String h : hosts) {
            if (h.startsWith("/")) {
                throw invalid(url, "Unix-domain sockets (host=" + h + ") are not supported; give a TCP host name");
            }
            int colon = h.startsWith("[") ? h.indexOf(':', h.indexOf(']')) : h.lastIndexOf(':');
            String name = colon < 0 ? h : h.substring(0, colon);
            boolean ipv6 = name.startsWith("[") && name.endsWith("]");
            out.add(hostAndPort(
                    url,
                    ipv6 ? name.substring(1, name.length() - 1) : null,
                    ipv6 ? null : name,
                    colon < 0 ? port : h.substring(colon + 1)));
        }
        return String.join(",", out);
    }

    private static String hostAndPort(String url, String ipv6, String host, String port) {
        if (host != null && !HOST_NAME.matcher(host).matches()) {
            throw invalid(url, "'" + host + "' is not a host name");
        }
        return (ipv6 != null ? "[" + ipv6 + "]" : host) + ":" + port(url, port);
    }

    private static int port(String url, String port) {
        if (port == null || port.isEmpty()) {
            return DEFAULT_PG_PORT;
        }
        int value = PORT.matcher(port).matches() ? Integer.parseInt(port) : -1;
        if (value < 1 || value > 65535) {
            throw invalid(url, "port '" + port + "' is not a number from 1 to 65535");
        }
        return value;
    }

    private static String pgjdbcParams(String url, Map<String, List<String>> query) {
        StringJoiner out = new StringJoiner("&", "?", "").setEmptyValue("");
        List<String> ignored = new ArrayList<>();
        query.forEach((key, values) -> {
            String value = values.get(values.size() - 1);
            switch (key) {
                case "sslmode", "ssl" -> out.add("sslmode=" + sslMode(url, value));
                case "application_name" -> out.add("ApplicationName=" + formEncode(value));
                case "connect_timeout" -> out.add("connectTimeout=" + seconds(url, value));
                case "host" -> {}
                default -> {
                    if (PG_PASS_THROUGH.contains(key)) {
                        out.add(key + "=" + formEncode(value));
                    } else {
                        ignored.add(key);
                    }
                }
            }
        });
        if (!ignored.isEmpty()) {
            LOG.debug("Ignoring database URL parameters that pgjdbc does not take: {}", ignored);
        }
        return out.toString();
    }

    private static String sslMode(String url, String value) {
        String mode = switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> "require";
            case "false" -> "disable";
            default -> value.toLowerCase(Locale.ROOT);
        };
        if (!SSL_MODES.contains(mode)) {
            throw invalid(url, "SSL mode '" + value + "' is not one of " + String.join(", ", SSL_MODES));
        }
        return mode;
    }

    private static String seconds(String url, String value) {
        if (!value.matches("[0-9]{1,6}")) {
            throw invalid(url, "connect_timeout '" + value + "' is not a whole number of seconds");
        }
        return value;
    }

    private static DatabaseUrl sqlAlchemySqlite(String url, Matcher m) {
        if (m.group("user") != null || m.group("host") != null || m.group("ipv6") != null || m.group("port") != null) {
            throw invalid(
                    url,
                    "a SQLite URL names a file, not a host: use sqlite:///relative/path.db "
                            + "or sqlite:////absolute/path.db");
        }
        String filename = m.group("database") == null ? "" : m.group("database");
        Map<String, List<String>> query = queryParams(url, m.group("query"));
        boolean uri = query.getOrDefault("uri", List.of()).contains("true");
        if (uri && filename.startsWith("file:")) {
            filename += sqliteUriParams(query);
        }
        return sqlite(url, filename);
    }

    private static String sqliteUriParams(Map<String, List<String>> query) {
        StringJoiner out = new StringJoiner("&", "?", "").setEmptyValue("");
        query.forEach((key, values) -> {
            if (!PYSQLITE_ARGS.contains(key)) {
                values.forEach(v -> out.add(key + "=" + formEncode(v)));
            }
        });
        return out.toString();
    }

    private static DatabaseUrl sqlite(String url, String filename) {
        if (isInMemory(filename)) {
            throw new IllegalArgumentException(
                    "In-memory SQLite database '" + redact(url) + "' is not supported: "
                            + "Runsweep must open the server's own database file, e.g. sqlite+aiosqlite:////home/me/.prefect/prefect.db");
        }
        if (filename.startsWith(":resource:")) {
            throw invalid(url, "a class-path resource is not a database file on disk");
        }
        return new DatabaseUrl(DatabaseKind.SQLITE, JDBC_SQLITE + filename, Optional.empty(), Optional.empty());
    }

    private static boolean isInMemory(String filename) {
        String name = filename.strip();
        if (!name.startsWith("file:")) {
            return name.isEmpty() || beforeQuery(name).equals(":memory:");
        }
        String rest = name.substring("file:".length());
        String path = beforeQuery(rest);
        String query = rest.substring(path.length());
        return path.isEmpty() || path.equals(":memory:") || (query.replace('?', '&') + "&").contains("&mode=memory&");
    }

    private static Map<String, List<String>> queryParams(String url, String query) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = formDecode(url, eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : formDecode(url, pair.substring(eq + 1));
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static Optional<String> nonEmpty(String raw) {
        return raw == null || raw.isEmpty() ? Optional.empty() : Optional.of(unquote(raw));
    }

    /** Percent-decoding as Python's urllib.parse.unquote does it: '+' stays '+', a stray '%' stays. */
    static String unquote(String s) {
        StringBuilder out = new StringBuilder(s.length());
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            int hex = s.charAt(i) == '%' ? hexByte(s, i + 1) : -1;
            if (hex >= 0) {
                pending.write(hex);
                i += 2;
            } else {
                out.append(pending.toString(StandardCharsets.UTF_8)).append(s.charAt(i));
                pending.reset();
            }
        }
        return out.append(pending.toString(StandardCharsets.UTF_8)).toString();
    }

    private static int hexByte(String s, int at) {
        if (at + 2 > s.length()) {
            return -1;
        }
        int hi = Character.digit(s.charAt(at), 16);
        int lo = Character.digit(s.charAt(at + 1), 16);
        return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    }

    private static String formDecode(String url, String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid(url, "malformed percent-encoding in '" + redact(s) + "'");
        }
    }

    private static String formEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String beforeQuery(String s) {
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q);
    }

    private static Path expandUser(String path, Path userHome) {
        if (path.equals("~")) {
            return userHome;
        }
        return path.startsWith("~/") ? userHome.resolve(path.substring(2)) : Path.of(path);
    }

    private static void appendParam(StringBuilder url, String param) {
        url.append(url.indexOf("?") < 0 ? '?' : '&').append(param);
    }

    // Masks from the first ':' of the user info to the last '@' anywhere, so that a password holding
    // an unencoded '@' is still hidden whole.
    private static String maskUserInfo(String url) {
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return url;
        }
        int start = scheme + 3;
        int colon = url.indexOf(':', start);
        if (colon < 0 || colon > at || url.substring(start, colon).contains("/")) {
            return url;
        }
        return url.substring(0, colon + 1) + MASK + url.substring(at);
    }

    private static IllegalArgumentException invalid(String url, String reason) {
        return new IllegalArgumentException(
                "Unsupported database URL '" + redact(url) + "': " + reason + ". Accepted forms: " + ACCEPTED_FORMS);
    }
}

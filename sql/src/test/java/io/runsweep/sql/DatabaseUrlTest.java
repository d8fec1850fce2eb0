package io.runsweep.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseUrlTest {

    private static void assertPostgres(DatabaseUrl url, String jdbc, String user, String password) {
        assertEquals(DatabaseKind.POSTGRESQL, url.kind());
        assertEquals(jdbc, url.jdbcUrl());
        assertEquals(Optional.ofNullable(user), url.user());
        assertEquals(Optional.ofNullable(password), url.password());
        assertEquals(Optional.empty(), url.sqliteFile());
    }

    private static void assertSqlite(DatabaseUrl url, String jdbc, Path file) {
        assertEquals(DatabaseKind.SQLITE, url.kind());
        assertEquals(jdbc, url.jdbcUrl());
        assertEquals(Optional.empty(), url.user());
        assertEquals(Optional.empty(), url.password());
        assertEquals(Optional.of(file), url.sqliteFile());
    }

    private static IllegalArgumentException rejected(String url) {
        return assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse(url));
    }

    // --- JDBC forms

    @Test
    void jdbcPostgresKeepsOtherParamsAndMovesCredentialsOut() {
        assertPostgres(
                DatabaseUrl.parse("jdbc:postgresql://db:5433/prefect?user=prefect&password=s%40cret&sslmode=require"),
                "jdbc:postgresql://db:5433/prefect?sslmode=require",
                "prefect",
                "s@cret");
    }

    @Test
    void jdbcPostgresWithoutParams() {
        assertPostgres(DatabaseUrl.parse("jdbc:postgresql://db/prefect"), "jdbc:postgresql://db/prefect", null, null);
    }

    @Test
    void jdbcPostgresKeepsParamOrderAroundCredentials() {
        assertPostgres(
                DatabaseUrl.parse("jdbc:postgresql://h:5432/d?ssl=true&user=u&ApplicationName=x&password=p"),
                "jdbc:postgresql://h:5432/d?ssl=true&ApplicationName=x",
                "u",
                "p");
    }

    @Test
    void jdbcPostgresWithUserInfoIsRejectedWithoutThePassword() {
        IllegalArgumentException e = rejected("jdbc:postgresql://u:hunter2@h:5432/d");
        assertTrue(e.getMessage().contains("'jdbc:postgresql://u:****@h:5432/d'"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void jdbcSqlitePlainPath() {
        assertSqlite(
                DatabaseUrl.parse("jdbc:sqlite:/var/lib/prefect/prefect.db"),
                "jdbc:sqlite:/var/lib/prefect/prefect.db",
                Path.of("/var/lib/prefect/prefect.db"));
    }

    @Test
    void jdbcSqliteFileUri() {
        assertSqlite(
                DatabaseUrl.parse("jdbc:sqlite:file:/data/my%20db.db?cache=private"),
                "jdbc:sqlite:file:/data/my%20db.db?cache=private",
                Path.of("/data/my db.db"));
        assertSqlite(
                DatabaseUrl.parse("jdbc:sqlite:file:///data/x.db"),
                "jdbc:sqlite:file:///data/x.db",
                Path.of("/data/x.db"));
        assertSqlite(DatabaseUrl.parse("jdbc:sqlite:file:rel.db"), "jdbc:sqlite:file:rel.db", Path.of("rel.db"));
    }

    // --- SQLAlchemy PostgreSQL forms, as Prefect writes them

    @ParameterizedTest
    @CsvSource({
        "postgresql+asyncpg://prefect:secret@db:5432/prefect",
        "postgresql://prefect:secret@db:5432/prefect",
        "postgresql+psycopg2://prefect:secret@db:5432/prefect",
        "postgres://prefect:secret@db:5432/prefect",
        "postgresql+asyncpg://prefect:secret@db/prefect",
    })
    void sqlAlchemyPostgresSchemes(String url) {
        assertPostgres(DatabaseUrl.parse(url), "jdbc:postgresql://db:5432/prefect", "prefect", "secret");
    }

    @Test
    void percentDecodesUserAndPasswordLikePython() {
        assertPostgres(
                DatabaseUrl.parse("postgresql+asyncpg://us%65r%40corp:p%40ss%3Aw%2Frd+%C3%A9%zz@db:6543/prefect"),
                "jdbc:postgresql://db:6543/prefect",
                "user@corp",
                "p@ss:w/rd+é%zz");
    }

    @Test
    void passwordMayHoldUnencodedColonSlashAndQuestionMarkAsInSqlAlchemy() {
        assertPostgres(
                DatabaseUrl.parse("postgresql://u:a:b/c?d@db/prefect"),
                "jdbc:postgresql://db:5432/prefect",
                "u",
                "a:b/c?d");
    }

    @Test
    void userWithoutPassword() {
        assertPostgres(
                DatabaseUrl.parse("postgresql://prefect@db/prefect"),
                "jdbc:postgresql://db:5432/prefect",
                "prefect",
                null);
    }

    @Test
    void ipv6HostKeepsItsBrackets() {
        assertPostgres(
                DatabaseUrl.parse("postgresql+asyncpg://u:p@[::1]:5433/prefect"),
                "jdbc:postgresql://[::1]:5433/prefect",
                "u",
                "p");
        assertPostgres(
                DatabaseUrl.parse("postgresql+asyncpg://u:p@[fe80::1]/prefect"),
                "jdbc:postgresql://[fe80::1]:5432/prefect",
                "u",
                "p");
    }

    @Test
    void emptyHostMeansLocalhostOrTheHostParameters() {
        assertPostgres(
                DatabaseUrl.parse("postgresql://u:p@/prefect"), "jdbc:postgresql://localhost:5432/prefect", "u", "p");
        assertPostgres(
                DatabaseUrl.parse("postgresql+asyncpg://u:p@/prefect?host=a:5433&host=b"),
                "jdbc:postgresql://a:5433,b:5432/prefect",
                "u",
                "p");
    }

    @ParameterizedTest
    @CsvSource({
        "ssl=require, sslmode=require",
        "sslmode=require, sslmode=require",
        "ssl=true, sslmode=require",
        "sslmode=verify-full, sslmode=verify-full",
        "ssl=disable, sslmode=disable",
    })
    void sslParametersBecomePgjdbcSslmode(String given, String expected) {
        assertEquals(
                "jdbc:postgresql://db:5432/prefect?" + expected,
                DatabaseUrl.parse("postgresql+asyncpg://u:p@db/prefect?" + given)
                        .jdbcUrl());
    }

    @Test
    void keepsWhatPgjdbcKnowsAndDropsDriverSpecificParameters() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql+asyncpg://u:p@db/prefect?prepared_statement_cache_size=0"
                + "&application_name=my%20app&connect_timeout=15&command_timeout=60&sslmode=require");
        assertEquals(
                "jdbc:postgresql://db:5432/prefect?ApplicationName=my+app&connectTimeout=15&sslmode=require",
                url.jdbcUrl());
    }

    @Test
    void badSslModeIsRejected() {
        IllegalArgumentException e = rejected("postgresql://u:pw123@db/prefect?sslmode=sometimes");
        assertTrue(e.getMessage().contains("SSL mode 'sometimes' is not one of"), e.getMessage());
        assertFalse(e.getMessage().contains("pw123"), e.getMessage());
    }

    @Test
    void badPortIsRejectedWithoutThePassword() {
        IllegalArgumentException e = rejected("postgresql+asyncpg://prefect:Sup3rS3cret@db:54x2/prefect");
        assertEquals(
                "Unsupported database URL 'postgresql+asyncpg://prefect:****@db:54x2/prefect': port '54x2' "
                        + "is not a number from 1 to 65535. Accepted forms: " + DatabaseUrl.ACCEPTED_FORMS,
                e.getMessage());
    }

    @Test
    void unencodedAtInPasswordIsRejectedWithAHintAndFullyMasked() {
        IllegalArgumentException e = rejected("postgresql://prefect:p@Zq9x@db/prefect");
        assertTrue(
                e.getMessage().startsWith("Unsupported database URL 'postgresql://prefect:****@db/prefect': "),
                e.getMessage());
        assertTrue(
                e.getMessage().contains("an unencoded '@' in the user name or password: percent-encode it as %40"),
                e.getMessage());
        assertFalse(e.getMessage().contains("Zq9x"), e.getMessage());
    }

    @Test
    void unixSocketHostIsRejected() {
        IllegalArgumentException e = rejected("postgresql://u:p@/prefect?host=/var/run/postgresql");
        assertTrue(e.getMessage().contains("Unix-domain sockets"), e.getMessage());
    }

    // --- SQLAlchemy SQLite forms

    @Test
    void sqlAlchemySqliteRelativeAndAbsolute() {
        assertSqlite(
                DatabaseUrl.parse("sqlite+aiosqlite:///relative.db"),
                "jdbc:sqlite:relative.db",
                Path.of("relative.db"));
        assertSqlite(
                DatabaseUrl.parse("sqlite+aiosqlite:////abs/path.db"),
                "jdbc:sqlite:/abs/path.db",
                Path.of("/abs/path.db"));
        assertSqlite(DatabaseUrl.parse("sqlite:///x.db"), "jdbc:sqlite:x.db", Path.of("x.db"));
        assertSqlite(DatabaseUrl.parse("sqlite:////abs.db"), "jdbc:sqlite:/abs.db", Path.of("/abs.db"));
        assertSqlite(DatabaseUrl.parse("sqlite:///dir/sub/x.db"), "jdbc:sqlite:dir/sub/x.db", Path.of("dir/sub/x.db"));
    }

    @Test
    void sqlAlchemySqliteDropsDriverArguments() {
        assertSqlite(
                DatabaseUrl.parse("sqlite+aiosqlite:////abs/p.db?timeout=30&check_same_thread=false"),
                "jdbc:sqlite:/abs/p.db",
                Path.of("/abs/p.db"));
    }

    @Test
    void sqlAlchemySqliteUriFormKeepsSqliteUriParameters() {
        assertSqlite(
                DatabaseUrl.parse("sqlite+aiosqlite:///file:/abs/p.db?mode=rw&uri=true&check_same_thread=false"),
                "jdbc:sqlite:file:/abs/p.db?mode=rw",
                Path.of("/abs/p.db"));
    }

    @Test
    void sqliteWithAHostIsRejected() {
        IllegalArgumentException e = rejected("sqlite://server/x.db");
        assertTrue(e.getMessage().contains("a SQLite URL names a file, not a host"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "sqlite+aiosqlite:///file::memory:?cache=shared&uri=true&check_same_thread=false",
                "sqlite+aiosqlite://",
                "sqlite://",
                "sqlite:///:memory:",
                "jdbc:sqlite::memory:",
                "jdbc:sqlite:",
                "jdbc:sqlite:file::memory:?cache=shared",
                "jdbc:sqlite:file:shared?mode=memory&cache=shared",
            })
    void inMemorySqliteIsRejected(String url) {
        IllegalArgumentException e = rejected(url);
        assertTrue(
                e.getMessage()
                        .startsWith("In-memory SQLite database '" + url + "' is not supported: "
                                + "Runsweep must open the server's own database file"),
                e.getMessage());
    }

    // --- rejection of anything else

    @ParameterizedTest
    @ValueSource(
            strings = {
                "mysql://root:TopSecret1@db/prefect",
                "jdbc:mysql://db/prefect?user=root&password=TopSecret1",
                "just some text TopSecret1",
                "db:5432/prefect?password=TopSecret1",
            })
    void unknownFormsListTheAcceptedOnesAndHideThePassword(String url) {
        IllegalArgumentException e = rejected(url);
        assertTrue(e.getMessage().startsWith("Unsupported database URL '"), e.getMessage());
        assertTrue(e.getMessage().contains("not a PostgreSQL or SQLite URL"), e.getMessage());
        assertTrue(e.getMessage().endsWith("Accepted forms: " + DatabaseUrl.ACCEPTED_FORMS), e.getMessage());
        assertTrue(e.getMessage().contains("jdbc:sqlite:PATH")
                && e.getMessage().contains("sqlite[+aiosqlite]:////absolute/path.db"));
        if (url.contains("password") || url.contains("@")) {
            assertFalse(e.getMessage().contains("TopSecret1"), e.getMessage());
        }
    }

    @Test
    void emptyUrlIsRejected() {
        assertTrue(rejected("  ").getMessage().startsWith("The database URL is empty. Accepted forms: "));
        assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse(null));
    }

    // --- Prefect's defaults chain

    @Test
    void prefectDefaultPrefersTheConnectionUrl(@TempDir Path home) {
        DatabaseUrl url = DatabaseUrl.prefectDefault(
                Map.of(
                        "PREFECT_API_DATABASE_CONNECTION_URL", "postgresql+asyncpg://prefect:pw@db:5432/prefect",
                        "PREFECT_HOME", "/opt/prefect"),
                home);
        assertPostgres(url, "jdbc:postgresql://db:5432/prefect", "prefect", "pw");
    }

    @Test
    void prefectDefaultTakesThePrefect3NameBeforeTheOlderOne(@TempDir Path home) {
        DatabaseUrl url = DatabaseUrl.prefectDefault(
                Map.of(
                        "PREFECT_SERVER_DATABASE_CONNECTION_URL", "sqlite+aiosqlite:////srv/a.db",
                        "PREFECT_API_DATABASE_CONNECTION_URL", "sqlite+aiosqlite:////srv/b.db"),
                home);
        assertEquals(Optional.of(Path.of("/srv/a.db")), url.sqliteFile());
    }

    @Test
    void prefectDefaultSkipsAnEmptyConnectionUrlForPrefectHome(@TempDir Path home) {
        DatabaseUrl url = DatabaseUrl.prefectDefault(
                Map.of("PREFECT_API_DATABASE_CONNECTION_URL", "", "PREFECT_HOME", "/opt/prefect"), home);
        assertSqlite(url, "jdbc:sqlite:/opt/prefect/prefect.db", Path.of("/opt/prefect/prefect.db"));
    }

    @Test
    void prefectHomeExpandsTildeAsPrefectDoes(@TempDir Path home) {
        DatabaseUrl url = DatabaseUrl.prefectDefault(Map.of("PREFECT_HOME", "~/ph"), home);
        assertEquals(Optional.of(home.resolve("ph/prefect.db")), url.sqliteFile());
    }

    @Test
    void prefectDefaultFallsBackToTheUsersDotPrefect(@TempDir Path home) {
        DatabaseUrl url = DatabaseUrl.prefectDefault(Map.of(), home);
        Path expected = home.resolve(".prefect").resolve("prefect.db");
        assertSqlite(url, "jdbc:sqlite:" + expected, expected);
    }

    @Test
    void prefectDefaultNamesTheVariableOfAnInvalidUrl(@TempDir Path home) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> DatabaseUrl.prefectDefault(
                        Map.of("PREFECT_API_DATABASE_CONNECTION_URL", "mysql://u:Hidden9@db/x"), home));
        assertTrue(
                e.getMessage()
                        .startsWith("PREFECT_API_DATABASE_CONNECTION_URL: Unsupported database URL "
                                + "'mysql://u:****@db/x'"),
                e.getMessage());
    }

    // --- credentials and redaction

    @Test
    void explicitCredentialsOverrideOnlyWhenPresent() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://a:b@db/prefect");
        assertEquals(
                Optional.of("x"),
                url.withCredentials(Optional.of("x"), Optional.empty()).user());
        assertEquals(
                Optional.of("b"),
                url.withCredentials(Optional.of("x"), Optional.empty()).password());
        assertEquals(
                Optional.of("y"),
                url.withCredentials(Optional.empty(), Optional.of("y")).password());
        assertEquals(url, url.withCredentials(Optional.empty(), Optional.empty()));
        assertEquals(
                Optional.of("u"),
                DatabaseUrl.parse("jdbc:postgresql://db/prefect")
                        .withCredentials(Optional.of("u"), Optional.of("p"))
                        .user());
    }

    @Test
    void sqliteIgnoresCredentials() {
        DatabaseUrl url = DatabaseUrl.parse("sqlite:////abs.db");
        assertSame(url, url.withCredentials(Optional.of("u"), Optional.of("p")));
    }

    @Test
    void redactedShowsUserAndMasksPassword() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql+asyncpg://prefect:Secr3t@db:5432/prefect?sslmode=require");
        assertEquals("jdbc:postgresql://db:5432/prefect?sslmode=require&user=prefect&password=****", url.redacted());
        assertEquals(
                "DatabaseUrl[POSTGRESQL jdbc:postgresql://db:5432/prefect?sslmode=require&user=prefect&password=****]",
                url.toString());
        assertEquals(
                "jdbc:postgresql://db:5432/prefect",
                DatabaseUrl.parse("jdbc:postgresql://db:5432/prefect").redacted());
        assertEquals(
                "jdbc:sqlite:/abs.db", DatabaseUrl.parse("sqlite:////abs.db").redacted());
    }

    @Test
    void toStringNeverShowsThePassword() {
        DatabaseUrl url = new DatabaseUrl(
                DatabaseKind.POSTGRESQL,
                "jdbc:postgresql://db/x?password=Leak1",
                Optional.of("u"),
                Optional.of("Leak2"));
        assertFalse(url.toString().contains("Leak"), url.toString());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "postgresql+asyncpg://prefect:secret@db:5432/prefect | postgresql+asyncpg://prefect:****@db:5432/prefect",
                "postgres://u:p@ss/w:rd@db/x                          | postgres://u:****@db/x",
                "postgresql://prefect@db/prefect                      | postgresql://prefect@db/prefect",
                "jdbc:postgresql://db/x?user=u&password=pw&ssl=true    | jdbc:postgresql://db/x?user=u&password=****&ssl=true",
                "jdbc:postgresql://db/x?PASSWORD=pw                    | jdbc:postgresql://db/x?PASSWORD=****",
                "jdbc:postgresql://db/x?sslpassword=k&password=pw      | jdbc:postgresql://db/x?sslpassword=****&password=****",
                "jdbc:postgresql://db/x?sslKeyStorePassword=k&apiToken=t | jdbc:postgresql://db/x?sslKeyStorePassword=****&apiToken=****",
                "jdbc:postgresql://db/x?sslpasswordcallback=com.x.Cb   | jdbc:postgresql://db/x?sslpasswordcallback=com.x.Cb",
                "sqlite+aiosqlite:////abs/path.db                      | sqlite+aiosqlite:////abs/path.db",
                "not a url password=abc                                | not a url password=****",
            })
    void redactMasksPasswordsInAnyForm(String given, String expected) {
        assertEquals(expected, DatabaseUrl.redact(given));
    }

    /** An encrypted client key needs its passphrase passed on to pgjdbc, and masked wherever the URL is shown. */
    @Test
    void sslPasswordOfASqlAlchemyUrlReachesPgjdbcAndIsNeverShown() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql+asyncpg://u:p@db/x?sslkey=/k.pk8&sslpassword=k3y");

        assertEquals("jdbc:postgresql://db:5432/x?sslkey=%2Fk.pk8&sslpassword=k3y", url.jdbcUrl());
        assertEquals(
                "jdbc:postgresql://db:5432/x?sslkey=%2Fk.pk8&sslpassword=****&user=u&password=****", url.redacted());
        assertFalse(url.toString().contains("k3y"), url.toString());
    }

    @Test
    void redactOfNullIsEmpty() {
        assertEquals("", DatabaseUrl.redact(null));
    }
}

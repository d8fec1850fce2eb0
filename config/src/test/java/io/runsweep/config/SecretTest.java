package io.runsweep.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SecretTest {
    @Test
    void masksTheUserinfoPasswordOfSqlAlchemyUrls() {
        assertEquals(
                "postgresql+asyncpg://prefect:****@db:5432/prefect",
                Secret.maskUrl("postgresql+asyncpg://prefect:s3cret@db:5432/prefect"));
    }

    @Test
    void masksAPasswordThatHoldsAnUnencodedAt() {
        assertEquals("postgresql://prefect:****@db/prefect", Secret.maskUrl("postgresql://prefect:p@ss@db/prefect"));
    }

    @Test
    void masksJdbcPasswordParametersWhateverTheirCase() {
        assertEquals(
                "jdbc:postgresql://db/prefect?user=p&password=****&ssl=true;PASSWORD=****",
                Secret.maskUrl("jdbc:postgresql://db/prefect?user=p&password=s3cret&ssl=true;PASSWORD=x@y"));
    }

    /** pgjdbc's sslpassword (the key file's passphrase) and the like are passwords as much as password is. */
    @Test
    void masksEveryPasswordLikeParameter() {
        assertEquals(
                "jdbc:postgresql://db/prefect?sslmode=verify-full&sslkey=/k.pk8&sslpassword=****"
                        + "&sslKeyStorePassword=****&apiToken=****",
                Secret.maskUrl("jdbc:postgresql://db/prefect?sslmode=verify-full&sslkey=/k.pk8&sslpassword=k3y"
                        + "&sslKeyStorePassword=st0re&apiToken=t0k"));
        assertEquals(
                "postgresql+asyncpg://prefect:****@db/prefect?sslpassword=****",
                Secret.maskUrl("postgresql+asyncpg://prefect:s3cret@db/prefect?sslpassword=k3y"));
    }

    @Test
    void leavesUrlsWithoutPasswordsAlone() {
        assertEquals("jdbc:postgresql://db:5432/prefect", Secret.maskUrl("jdbc:postgresql://db:5432/prefect"));
        assertEquals("sqlite+aiosqlite:////data/prefect.db", Secret.maskUrl("sqlite+aiosqlite:////data/prefect.db"));
        assertEquals("postgresql://prefect@db/prefect", Secret.maskUrl("postgresql://prefect@db/prefect"));
    }

    @Test
    void toStringNeverShowsTheValue() {
        assertEquals("****", new Secret("s3cret").toString());
    }
}

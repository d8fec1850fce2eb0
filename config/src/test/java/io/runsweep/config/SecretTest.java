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

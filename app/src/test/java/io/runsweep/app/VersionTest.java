package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code runsweep --version} says the version the build made, not "development build". */
class VersionTest {
    @Test
    void versionIsTheBuilds() {
        String built = System.getProperty("runsweep.build.version");
        assertNotNull(built, "surefire passes the project's version");

        Cli cli = Cli.run(Map.of(), Clock.systemUTC(), "--version");

        assertEquals(0, cli.exitCode(), cli.err());
        assertEquals("runsweep " + built + "\n", cli.out());
    }
}

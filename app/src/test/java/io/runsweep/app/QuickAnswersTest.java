package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code runsweep --help} and {@code --version} are answered before the command line is built, with the very text
 * picocli prints. When a command, option or description changes, {@code usage.txt} must follow:
 * {@code java -jar app/target/runsweep.jar help > app/src/main/resources/io/runsweep/app/usage.txt}.
 */
class QuickAnswersTest {
    @Test
    void helpAndVersionAreWhatTheFullCommandLinePrints() {
        for (String question : List.of("--help", "-h", "--version", "-V")) {
            Cli cli = Cli.run(Map.of(), Clock.systemUTC(), question);
            assertEquals(0, cli.exitCode(), cli.err());
            assertEquals(Optional.of(cli.out()), QuickAnswers.answer(new String[] {question}), question);
        }
        Cli help = Cli.run(Map.of(), Clock.systemUTC(), "help");
        assertEquals(Optional.of(help.out()), QuickAnswers.answer(new String[] {"--help"}), "runsweep help");
    }

    @Test
    void anythingElseGoesToTheFullCommandLine() {
        for (String[] args : List.of(
                new String[] {},
                new String[] {"sweep", "--help"},
                new String[] {"--help", "sweep"},
                new String[] {"-v", "--version"},
                new String[] {"--hel"})) {
            assertEquals(Optional.empty(), QuickAnswers.answer(args), String.join(" ", args));
        }
    }

    @Test
    void theQuickAnswerLoadsNoClassOfPicocli() throws Exception {
        Process java = Cli.loggingClasses("--help").redirectErrorStream(true).start();
        String output = read(java);
        assertTrue(java.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, java.exitValue(), output);
        assertTrue(output.contains("Usage: runsweep [-hvV] [COMMAND]"), output);
        assertTrue(output.contains("io.runsweep.app.QuickAnswers "), "the class log is there");
        assertEquals(
                List.of(),
                output.lines().filter(l -> l.contains(" picocli.")).toList(),
                "classes of picocli loaded for --help");
    }

    private static String read(Process process) throws IOException {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}

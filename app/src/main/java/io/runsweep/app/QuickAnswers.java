package io.runsweep.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;

/**
 * Answers {@code runsweep --help} and {@code runsweep --version} without building the command line. The JVM
 * starts in about 0.15 s; building picocli's model of every command from its annotations took about 0.3 s more
 * (docs/performance-history.md, "The footprint"). The usage text is the one picocli prints ({@code usage.txt}, which
 * {@code QuickAnswersTest} keeps equal to it); any other command line goes to {@link Main#run}.
 *
 * <p>Loads no class of picocli's: that is the point.
 */
final class QuickAnswers {
    private QuickAnswers() {}

    /** What to print for {@code args}, when it is one of the two questions answered here. */
    static Optional<String> answer(String[] args) {
        if (args.length != 1) {
            return Optional.empty();
        }
        try {
            return switch (args[0]) {
                case "-h", "--help" -> resource("usage.txt");
                case "-V", "--version" -> Optional.of("runsweep " + version() + System.lineSeparator());
                default -> Optional.empty();
            };
        } catch (IOException e) {
            // The full command line answers as well, only slower.
            return Optional.empty();
        }
    }

    /** The version the build wrote into {@code version.properties}, as the jar's manifest also says it. */
    static String version() throws IOException {
        Properties build = new Properties();
        try (InputStream in = QuickAnswers.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IOException("version.properties is missing from the build");
            }
            build.load(in);
        }
        return build.getProperty("version");
    }

    private static Optional<String> resource(String name) throws IOException {
        try (InputStream in = QuickAnswers.class.getResourceAsStream(name)) {
            return in == null
                    ? Optional.empty()
                    : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8)
                            .replace("\n", System.lineSeparator()));
        }
    }
}

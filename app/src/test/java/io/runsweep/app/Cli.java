package io.runsweep.app;

import io.runsweep.app.process.Environment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the real command line in-process and keeps what a user would see. */
record Cli(int exitCode, String out, String err) {

    static Cli run(Map<String, String> env, Clock clock, String... args) {
        return run(new Environment(env), clock, args);
    }

    /** With someone at a terminal: {@code terminal} answers what the command asks. */
    static Cli run(Environment environment, Clock clock, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, environment, clock, new PrintWriter(out), new PrintWriter(err));
        return new Cli(code, out.toString(), err.toString());
    }

    /** The command line as a process of its own, in a new JVM: for what only a process meets (signals, kill -9). */
    static ProcessBuilder process(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /**
     * The command line as a process of its own, in a new JVM that prints each class it loads (one line each, on
     * stdout, {@code [uptime][info][class,load] <class> source: ...}).
     */
    static ProcessBuilder loggingClasses(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }
}

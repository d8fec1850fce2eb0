package io.runsweep.app;

import io.runsweep.app.process.Environment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;

/** Runs the real command line in-process and keeps what a user would see. */
record Cli(int exitCode, String out, String err) {

    static Cli run(Map<String, String> env, Clock clock, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new Environment(env), clock, new PrintWriter(out), new PrintWriter(err));
        return new Cli(code, out.toString(), err.toString());
    }
}

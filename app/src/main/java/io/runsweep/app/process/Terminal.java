package io.runsweep.app.process;

import java.io.Console;
import java.util.Optional;

/** The person at the keyboard, when there is one: a sweep asks them before it deletes much. */
public interface Terminal {
    /** No one to ask: a pipe, cron, a container, the daemon. */
    Terminal NONE = new Terminal() {
        @Override
        public boolean interactive() {
            return false;
        }

        @Override
        public Optional<String> ask(String question) {
            return Optional.empty();
        }
    };

    boolean interactive();

    /** Shows {@code question} and reads one line; empty when input has ended. */
    Optional<String> ask(String question);

    /** The process's own terminal, when it has one. */
    static Terminal system() {
        Console console = System.console();
        if (console == null) {
            return NONE;
        }
        return new Terminal() {
            @Override
            public boolean interactive() {
                return true;
            }

            @Override
            public Optional<String> ask(String question) {
                return Optional.ofNullable(console.readLine("%s", question));
            }
        };
    }
}

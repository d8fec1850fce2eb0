package io.runsweep.app.process;

import java.io.PrintStream;

/**
 * The one line of stderr a progress display redraws in place, shared with the log: a log line first erases
 * the progress, is written on a line of its own, and the progress is drawn again below it, so the two never
 * share a line.
 */
public final class TerminalLine {
    private static final String ERASE = "\r\033[K";

    private static PrintStream shownOn;
    private static String shown = "";

    private TerminalLine() {}

    static synchronized void show(PrintStream err, String text) {
        err.print(ERASE + text);
        err.flush();
        shownOn = err;
        shown = text;
    }

    static synchronized void clear() {
        if (!shown.isEmpty()) {
            shownOn.print(ERASE);
            shownOn.flush();
            shown = "";
        }
    }

    /** Writes a log line with the progress line, if one is shown, moved out of its way. */
    static synchronized void aroundLogLine(Runnable write) {
        String progress = shown;
        if (!progress.isEmpty()) {
            shownOn.print(ERASE);
            shownOn.flush();
        }
        write.run();
        if (!progress.isEmpty()) {
            shownOn.print(progress);
            shownOn.flush();
        }
    }
}

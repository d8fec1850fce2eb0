package io.runsweep.config;

import com.typesafe.config.ConfigOrigin;

/** Turns a Typesafe origin into the "file: line" that starts every message about a setting. */
final class Origins {
    private Origins() {}

    static String format(ConfigOrigin origin) {
        String where = source(origin);
        if (where == null) {
            return origin.description(); // merged or synthetic origins already carry their lines
        }
        return origin.lineNumber() > 0 ? where + ": " + origin.lineNumber() : where;
    }

    /**
     * The classpath resource name or the file path, or null when the origin is neither. The resource
     * comes first: run from a build directory, Runsweep's own files also have a file name, and
     * "presets/prefect.conf" says more than where the build happened to put it.
     */
    static String source(ConfigOrigin origin) {
        return origin.resource() != null ? origin.resource() : origin.filename();
    }

    /** Typesafe prefixes its own messages with the origin; we add ours, so drop theirs. */
    static String withoutOriginPrefix(String message, ConfigOrigin origin) {
        String prefix = origin == null ? null : origin.description() + ": ";
        return prefix != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}

package io.runsweep.jobs.common;

/** How a command prints its report: for a person, or as one JSON document for scripts. */
public enum OutputFormat {
    TEXT,
    JSON
}

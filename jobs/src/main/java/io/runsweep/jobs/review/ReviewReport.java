package io.runsweep.jobs.review;

import java.util.List;

/**
 * What {@code runsweep check} found, in the order it looked.
 *
 * @param database the database as a person may see it: product and version, and the URL without its password
 */
public record ReviewReport(String database, List<Finding> findings) {

    public ReviewReport {
        findings = List.copyOf(findings);
    }

    public long count(Finding.Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).count();
    }

    /** The most serious finding's severity; OK when nothing was found. */
    public Finding.Severity worst() {
        return findings.stream().map(Finding::severity).max(Enum::compareTo).orElse(Finding.Severity.OK);
    }
}

package io.runsweep.bench.footprint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A process's memory as Linux's {@code /proc/PID/status} reports it. */
record ProcStatus(long rssBytes, long peakRssBytes) {

    static ProcStatus of(long pid) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
        return new ProcStatus(kibibytes(lines, "VmRSS:"), kibibytes(lines, "VmHWM:"));
    }

    private static long kibibytes(List<String> lines, String field) {
        return lines.stream()
                        .filter(line -> line.startsWith(field))
                        .map(line -> line.substring(field.length()).trim().split("\\s+")[0])
                        .mapToLong(Long::parseLong)
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("no " + field + " in /proc status"))
                * 1024;
    }
}

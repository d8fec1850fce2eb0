package io.runsweep.jobs.alert;

import java.time.Instant;

/** Told of every change of an alert (it started firing, or it resolved). Must not block: it runs inside a job. */
@FunctionalInterface
public interface AlertListener {
    AlertListener NONE = (state, at) -> {};

    void changed(AlertState state, Instant at);
}

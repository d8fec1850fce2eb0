package io.runsweep.app.daemon;

/** What {@link HttpServerLoop} serves: an answer per request. */
interface HttpRoutes {
    /** True when the answer is made from memory at once (probes): on the reading thread, never queued. */
    boolean inline(HttpRequest request);

    HttpAnswer answer(HttpRequest request);
}

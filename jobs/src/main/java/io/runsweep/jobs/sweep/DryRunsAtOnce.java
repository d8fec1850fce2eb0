package io.runsweep.jobs.sweep;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A dry run's policies, previewed several at once: each only reads, on a connection of its own, so the database
 * can count one policy's rows while it counts another's (most of a dry run's time is counting). A real run keeps
 * one policy after another: its deletes would contend for the same locks and the server's disk.
 */
final class DryRunsAtOnce {
    private DryRunsAtOnce() {}

    /**
     * Starts {@code run} for every item, {@code atOnce} at a time, in their order.
     *
     * @return one result each, in the items' order; getting one waits for it, and a failure is thrown from there
     */
    static <T, R> List<Supplier<R>> started(List<T> items, int atOnce, Function<T, R> run) {
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(atOnce, task -> {
            Thread thread = new Thread(task, "runsweep-dry-run-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        List<Future<R>> futures = items.stream()
                .map(item -> executor.submit(() -> run.apply(item)))
                .toList();
        // The queued previews still run; the threads end once the last one has.
        executor.shutdown();
        return futures.stream()
                .<Supplier<R>>map(future -> () -> joined(future, executor))
                .toList();
    }

    private static <R> R joined(Future<R> future, ExecutorService executor) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for a dry run");
        } catch (ExecutionException e) {
            executor.shutdownNow();
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}

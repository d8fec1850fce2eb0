package io.runsweep.bench.measure;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Watches the Java heap while the engine runs: samples the heap in use every 5 ms, and reads it just
 * before and just after each garbage collection, whose notifications catch the peaks sampling misses. It
 * also counts what the thread that started it allocates, which is exact where the heap's "in use" moves in
 * whole regions.
 */
public final class HeapSampler implements AutoCloseable {
    private static final long SAMPLE_MILLIS = 5;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peakUsed = new AtomicLong();
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private long start;
    private long allocatedAtStart;
    private final AtomicLong peakLive = new AtomicLong(-1);
    private final AtomicLong collections = new AtomicLong();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::collected;
    private final Thread sampler;
    private volatile boolean running = true;

    private HeapSampler() {
        sampler = new Thread(this::sample, "runsweep-bench-heap");
        sampler.setDaemon(true);
    }

    /**
     * Collects garbage and reads the heap in use, so that the peak is the engine's and not what came before it.
     * A collection stops every thread of the bench, the server's or the writer's it plays among them: call this
     * before their measured time begins, and {@link #start()} when the engine starts.
     */
    public static HeapSampler afterCollection() {
        System.gc();
        HeapSampler sampler = new HeapSampler();
        sampler.start = sampler.memory.getHeapMemoryUsage().getUsed();
        return sampler;
    }

    /** Starts watching, from the thread whose allocations are to be counted. */
    public HeapSampler start() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
        allocatedAtStart = threads.getCurrentThreadAllocatedBytes();
        record(start);
        sampler.start();
        return this;
    }

    /** Call from the thread that started it: its allocations are the ones counted. */
    public HeapPeak stop() {
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedAtStart;
        close();
        record(memory.getHeapMemoryUsage().getUsed());
        long live = peakLive.get();
        return new HeapPeak(
                start,
                peakUsed.get(),
                live < 0 ? OptionalLong.empty() : OptionalLong.of(live),
                collections.get(),
                allocated);
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
        try {
            sampler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
                // already gone: nothing left to remove
            }
        }
        emitters.clear();
    }

    private void sample() {
        while (running) {
            record(memory.getHeapMemoryUsage().getUsed());
            try {
                Thread.sleep(SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void collected(Notification notification, Object handback) {
        if (!running
                || !GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        collections.incrementAndGet();
        record(heapOnly(info.getGcInfo().getMemoryUsageBeforeGc()));
        peakLive.accumulateAndGet(heapOnly(info.getGcInfo().getMemoryUsageAfterGc()), Math::max);
    }

    /** The pools of the heap; the others (metaspace, code cache) are not what a batch allocates. */
    private static long heapOnly(Map<String, MemoryUsage> pools) {
        long used = 0;
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage usage = pools.get(pool.getName());
            if (usage != null && pool.getType() == java.lang.management.MemoryType.HEAP) {
                used += usage.getUsed();
            }
        }
        return used;
    }

    private void record(long used) {
        peakUsed.accumulateAndGet(used, Math::max);
    }
}

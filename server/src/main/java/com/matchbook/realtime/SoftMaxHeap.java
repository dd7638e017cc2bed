package com.matchbook.realtime;

import java.lang.System.Logger.Level;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * Keeps ZGC's soft heap maximum ({@code -XX:SoftMaxHeapSize}, a flag the JVM lets a running process change) at
 * {@link #HEADROOM} times the heap that a major collection left, rounded up to {@link #STEP}, never below the value the
 * node was started with and never above {@code -Xmx}. It acts only when the node runs on ZGC with a soft maximum below
 * the maximum (as {@code ./run.sh} starts it: 256 MiB of 1 GiB) and {@code matchbook.jvm.soft-max-follows-live} is not
 * {@code false}; otherwise {@link #follow} does nothing.
 *
 * <p>Why: the soft maximum keeps a node whose live data is small from growing its heap into pages it never touched
 * (docs/performance.md, "The heap's growth under load"), but a fixed one stops fitting once the live data nears it. The
 * tiered store's recent history keeps its per-stream indexes on the heap (docs/performance.md, the slow scenario's
 * class histograms), so a busy node's live heap reaches 180-200 MB, and under a 256 MiB goal ZGC then collects back to
 * back ("High Usage"): 9.3-11.7 s of collection in the full benchmark's 60 s slow phase on one core, against 1.7-2.3 s
 * with a 512 MiB goal (2026-12-02, three runs of each, alternating). Following the live heap gives the room where it is
 * needed and keeps the small goal everywhere else.
 *
 * <p>Reads the heap after each major cycle from the JDK's collection notifications (no thread of its own); a minor
 * cycle's figure still holds the old generation's garbage and is not used.
 */
final class SoftMaxHeap implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SoftMaxHeap.class.getName());
    /** The soft maximum as a multiple of the heap left by a major cycle: as much room again for new objects. */
    static final int HEADROOM = 2;
    /** Granularity of the soft maximum, in bytes: 16 MiB, so small changes in the live heap change nothing. */
    static final long STEP = 16L << 20;
    private static final String FLAG = "SoftMaxHeapSize";

    private final HotSpotDiagnosticMXBean vm;
    /** The soft maximum the node was started with, in bytes: the goal never goes below it. */
    private final long floor;
    /** {@code -Xmx}, in bytes: the goal never goes above it. */
    private final long max;
    private final List<NotificationEmitter> emitters = new CopyOnWriteArrayList<>();
    private final NotificationListener listener = this::onCollection;
    /** The goal the JVM was last given, in bytes; only the JDK's notification thread writes it. */
    private volatile long current;

    private SoftMaxHeap(HotSpotDiagnosticMXBean vm, long floor, long max) {
        this.vm = vm;
        this.floor = floor;
        this.max = max;
        this.current = floor;
    }

    /**
     * Starts following the live heap when this JVM allows it.
     *
     * @param enabled {@code matchbook.jvm.soft-max-follows-live}
     * @return the follower (close it to stop), or empty when disabled, not on ZGC, without a soft maximum below
     *         {@code -Xmx}, or without the JDK's management beans
     */
    static Optional<SoftMaxHeap> follow(boolean enabled) {
        if (!enabled) {
            return Optional.empty();
        }
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (vm == null || !Boolean.parseBoolean(vm.getVMOption("UseZGC").getValue())) {
                return Optional.empty();
            }
            long soft = Long.parseLong(vm.getVMOption(FLAG).getValue());
            long max = Long.parseLong(vm.getVMOption("MaxHeapSize").getValue());
            if (soft <= 0 || soft >= max || !vm.getVMOption(FLAG).isWriteable()) {
                return Optional.empty();
            }
            SoftMaxHeap follower = new SoftMaxHeap(vm, soft, max);
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                // Generational ZGC (JDK 21+): "ZGC Major Cycles"; the single-generation ZGC of JDK 21-23: "ZGC Cycles".
                if ((gc.getName().equals("ZGC Major Cycles") || gc.getName().equals("ZGC Cycles"))
                        && gc instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener(follower.listener, null, Set.of(gc.getMemoryPoolNames()));
                    follower.emitters.add(emitter);
                }
            }
            return follower.emitters.isEmpty() ? Optional.empty() : Optional.of(follower);
        } catch (RuntimeException e) {
            // An unknown flag or a JVM without these beans: nothing to follow with, and nothing the node needs.
            LOG.log(Level.DEBUG, "event=soft-max-heap-off reason=" + e);
            return Optional.empty();
        }
    }

    /**
     * The soft maximum for a heap of {@code liveBytes} after a major cycle: {@link #HEADROOM} times it rounded up to
     * {@link #STEP}, at least {@code floor} and at most {@code max} (all in bytes).
     */
    static long target(long liveBytes, long floor, long max) {
        long wanted = Math.ceilDiv(Math.min(Math.max(liveBytes, 0), max) * HEADROOM, STEP) * STEP;
        return Math.max(floor, Math.min(max, wanted));
    }

    private void onCollection(Notification n, Object pools) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                (CompositeData) n.getUserData());
        long live = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (((Set<?>) pools).contains(pool.getKey())) {
                live += pool.getValue().getUsed();
            }
        }
        long next = target(live, floor, max);
        if (next == current) {
            return;
        }
        try {
            vm.setVMOption(FLAG, Long.toString(next));
            LOG.log(Level.INFO, "event=soft-max-heap mib=" + (next >> 20) + " was-mib=" + (current >> 20)
                    + " after-major-cycle-mib=" + (live >> 20));
            current = next;
        } catch (RuntimeException e) {
            // Said once: the JVM refusing the flag once will refuse it after every cycle.
            LOG.log(Level.WARNING, "event=soft-max-heap-failed mib=" + (next >> 20) + ": " + e.getMessage()
                    + "; the goal stays at " + (current >> 20) + " MiB");
            close();
        }
    }

    /** Stops following: the goal stays where it is. */
    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
                // already gone: nothing to stop
            }
        }
        emitters.clear();
    }
}

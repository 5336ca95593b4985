package dev.custody.remote;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The JVM's GC signals, turned into release-queue flushes: every GC notification is a hint (it
 * comes after the fact, and the Cleaner still has to run), and an old-generation usage threshold
 * is the analogue of .NET's full-GC-approaching notification. The opt-in GC request lives here too.
 */
final class GcSignals implements AutoCloseable {
    /** com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION, by value. */
    private static final String GC_NOTIFICATION = "com.sun.management.gc.notification";

    private final ReleaseQueue queue;
    private final ClientOptions options;
    private final LongSupplier liveProxies;
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final List<MemoryPoolMXBean> thresholdsSet = new ArrayList<>();
    private final NotificationListener listener = this::onNotification;
    private volatile long lastMajorGc = System.nanoTime();
    private long lastRequest;
    final AtomicLong gcRequests = new AtomicLong();
    final AtomicLong thresholdCrossings = new AtomicLong();

    GcSignals(ReleaseQueue queue, ClientOptions options, LongSupplier liveProxies) {
        this.queue = queue;
        this.options = options;
        this.liveProxies = liveProxies;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter e) {
                e.addNotificationListener(listener, null, null);
                emitters.add(e);
            }
        }
        if (options.oldGenThreshold() > 0) {
            // Listen first: setting a threshold the pool is already above fires the notification
            // at once, and the JVM sends it only once until usage falls below again.
            if (ManagementFactory.getMemoryMXBean() instanceof NotificationEmitter e) {
                e.addNotificationListener(listener, null, null);
                emitters.add(e);
            }
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                long max = pool.getUsage() == null ? -1 : pool.getUsage().getMax();
                // Only old-generation pools support a usage threshold among the heap pools; leave
                // alone a threshold someone else set.
                if (pool.getType() == MemoryType.HEAP && pool.isUsageThresholdSupported() && max > 0
                        && pool.getUsageThreshold() == 0) {
                    pool.setUsageThreshold((long) (max * options.oldGenThreshold()));
                    thresholdsSet.add(pool);
                }
            }
        }
    }

    private void onNotification(Notification n, Object handback) {
        if (GC_NOTIFICATION.equals(n.getType())) {
            if (n.getUserData() instanceof CompositeData info
                    && String.valueOf(info.get("gcAction")).contains("major")) {
                lastMajorGc = System.nanoTime();
            }
            queue.hint();
        } else if (MemoryNotificationInfo.MEMORY_THRESHOLD_EXCEEDED.equals(n.getType())) {
            thresholdCrossings.incrementAndGet();
            queue.hint();
        }
    }

    /**
     * The opt-in GC request: while proxies are live and no major GC has run for the interval,
     * asks for one, at most once per interval. Does nothing unless enabled.
     */
    void tick() {
        if (options.gcRequestInterval() == null || liveProxies.getAsLong() == 0) {
            return;
        }
        long interval = options.gcRequestInterval().toNanos();
        long now = System.nanoTime();
        if (now - lastMajorGc >= interval && now - lastRequest >= interval) {
            lastRequest = now;
            gcRequests.incrementAndGet();
            System.gc();
        }
    }

    /** The pools whose usage threshold this client set (and will clear on close). */
    List<MemoryPoolMXBean> thresholdsSet() {
        return List.copyOf(thresholdsSet);
    }

    @Override
    public void close() {
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // already gone
            }
        }
        thresholdsSet.forEach(p -> p.setUsageThreshold(0));
    }
}

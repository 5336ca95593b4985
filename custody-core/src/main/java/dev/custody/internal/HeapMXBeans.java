package dev.custody.internal;

import dev.custody.Figures;
import dev.custody.observe.HeapMXBean;

import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

/**
 * Registers a {@link HeapMXBean} per open heap, once JMX exposure is switched on, and unregisters
 * it when the heap closes. Off by default: tests and pools make heaps by the thousand.
 */
public final class HeapMXBeans {
    private static volatile boolean on;

    private HeapMXBeans() {
    }

    /** Registers every open heap, and every heap made from now on. */
    public static synchronized void enable() {
        on = true;
        for (AbstractHeap h : HeapDirectory.all()) {
            register(h);
        }
    }

    static void created(AbstractHeap h) {
        if (on) {
            register(h);
        }
    }

    static void closed(AbstractHeap h) {
        if (on && h.mbeanName != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(h.mbeanName);
            } catch (JMException ignored) {
                // already gone
            }
        }
    }

    private static void register(AbstractHeap h) {
        if (h.mbeanName != null) {
            return;
        }
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        String base = "dev.custody:type=Heap,name=" + ObjectName.quote(h.name);
        try {
            ObjectName name = new ObjectName(base);
            for (int i = 2; server.isRegistered(name); i++) {
                name = new ObjectName(base + ",instance=" + i);
            }
            server.registerMBean(new Bean(h), name);
            h.mbeanName = name;
        } catch (InstanceAlreadyExistsException raced) {
            register(h);
        } catch (JMException e) {
            throw new IllegalStateException("cannot register the MXBean of heap '" + h.name + "'", e);
        }
    }

    private record Bean(AbstractHeap heap) implements HeapMXBean {
        private Figures f() {
            return heap.stats().total();
        }

        @Override
        public String getName() {
            return heap.name;
        }

        @Override
        public long getLiveBytes() {
            return f().liveBytes();
        }

        @Override
        public long getLiveBlocks() {
            return f().liveBlocks();
        }

        @Override
        public long getPeakBytes() {
            return f().peakBytes();
        }

        @Override
        public long getAllocations() {
            return f().allocations();
        }

        @Override
        public long getFrees() {
            return f().frees();
        }

        @Override
        public long getHandedOffBlocks() {
            return f().handedOffBlocks();
        }

        @Override
        public long getLeaksCollected() {
            return f().leaksCollected();
        }

        @Override
        public String getTracking() {
            return heap.tracking().name();
        }
    }
}

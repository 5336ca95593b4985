package dev.custody.internal;

import dev.custody.Figures;
import dev.custody.observe.HeapMXBean;

import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

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
        String base = "dev.custody:type=Heap,name=" + value(h.name);
        try {
            ObjectName name = new ObjectName(base);
            for (int i = 2; server.isRegistered(name); i++) {
                name = new ObjectName(base + ",instance=" + i);
            }
            server.registerMBean(new Described(new Bean(h)), name);
            h.mbeanName = name;
        } catch (InstanceAlreadyExistsException raced) {
            register(h);
        } catch (JMException e) {
            throw new IllegalStateException("cannot register the MXBean of heap '" + h.name + "'", e);
        }
    }

    /** {@code name} as an ObjectName value: bare when it may be, quoted when it holds {@code , = : " * ?}, a newline, or nothing. */
    static String value(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (",=:\"*?\n".indexOf(name.charAt(i)) >= 0) {
                return ObjectName.quote(name);
            }
        }
        return name.isEmpty() ? ObjectName.quote(name) : name;
    }

    /** What each attribute and the operation mean, for a JMX console's MBeanInfo. */
    private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry("Name", "The heap's name, as custody's messages give it"),
            Map.entry("LiveBytes", "Bytes in live blocks of this heap and its children, in all tags"),
            Map.entry("LiveBlocks", "Live blocks of this heap and its children, in all tags"),
            Map.entry("PeakBytes", "The highest LiveBytes seen"),
            Map.entry("Allocations", "Blocks allocated or adopted, in all"),
            Map.entry("Frees", "Blocks freed, in all"),
            Map.entry("HandedOffBlocks", "Blocks handed off to native code that frees them, in all"),
            Map.entry("LeaksCollected", "Reference-counted blocks the GC found unreleased (custody freed"
                    + " and reported them), in all"),
            Map.entry("Tags", "The books per tag: live bytes and blocks, peak, allocations, frees, hand-offs,"
                    + " leaks collected"),
            Map.entry("Tracking", "What the heap records of sites: OFF, SAMPLED or FULL"),
            Map.entry("changeTracking", "Sets the tracking of blocks allocated from now on: off, sampled,"
                    + " sampled:N (N the mean bytes between samples, k or m allowed) or full"));

    /** The bean with its descriptions: a StandardMBean, so the MXBean mapping stays the JDK's. */
    private static final class Described extends StandardMBean {
        Described(Bean bean) {
            super(bean, HeapMXBean.class, true);
        }

        @Override
        protected String getDescription(MBeanInfo info) {
            return "The books of a custody heap: live bytes and blocks, peak, totals, per tag, and its tracking";
        }

        @Override
        protected String getDescription(MBeanAttributeInfo info) {
            return DESCRIPTIONS.getOrDefault(info.getName(), info.getDescription());
        }

        @Override
        protected String getDescription(MBeanOperationInfo info) {
            return DESCRIPTIONS.getOrDefault(info.getName(), info.getDescription());
        }

        @Override
        protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
            return "setting";
        }

        @Override
        protected String getDescription(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
            return "off, sampled, sampled:N or full";
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
        public Map<String, Figures> getTags() {
            Map<String, Figures> out = new LinkedHashMap<>();
            heap.stats().byTag().forEach((tag, figures) -> out.put(tag.name(), figures));
            return out;
        }

        @Override
        public String getTracking() {
            return heap.tracking().name();
        }

        @Override
        public void changeTracking(String setting) {
            Switches.Spec.parse(setting).applyTo(heap);
        }
    }
}

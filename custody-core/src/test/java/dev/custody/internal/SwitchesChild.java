package dev.custody.internal;

import dev.custody.Block;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.Tag;
import dev.custody.Tracking;
import dev.custody.scoped.Region;

import javax.management.Attribute;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import java.lang.management.ManagementFactory;
import java.util.TreeSet;

/** A child JVM for {@link SwitchesTest}: what custody's switches did, printed as lines of {@code key=value}. */
public final class SwitchesChild {
    private SwitchesChild() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "tracking" -> tracking();
            case "jmx" -> jmx();
            case "exit" -> exit();
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void tracking() {
        Heap libc = Heaps.libc(); // the first heap: the switches are read here
        Heap child = libc.child("child", Long.MAX_VALUE);
        Region region = Heaps.region(libc, 4096);
        Heap mimalloc = Heaps.library("mimalloc", "libmimalloc.so.2", "mi_malloc", "mi_free");
        mimalloc.setTracking(Tracking.OFF, 1); // a per-heap setting beats the switches
        Heap afterOwn = mimalloc.child("mimalloc-child", Long.MAX_VALUE);
        System.out.println("libc=" + libc.tracking());
        System.out.println("child=" + child.tracking());
        System.out.println("region=" + region.tracking());
        System.out.println("mimalloc=" + mimalloc.tracking());
        System.out.println("mimalloc-child=" + afterOwn.tracking());
        Block b = child.allocate(64, Tag.of("switch"));
        System.out.println("site=" + (b.allocationSite() == null ? "none" : b.allocationSite().caller()));
        b.free();
        child.close();
        region.close();
        afterOwn.close();
    }

    private static void jmx() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Heap libc = Heaps.libc();
        Heap twin1 = libc.child("twin", Long.MAX_VALUE);
        Heap twin2 = libc.child("twin", Long.MAX_VALUE);
        Heap odd = libc.child("a,b=c", Long.MAX_VALUE);
        Block b = twin1.allocate(100, Tag.of("jmx-a"));
        Block c = twin1.allocate(28, Tag.of("jmx-b"));
        TreeSet<String> names = new TreeSet<>();
        server.queryNames(new ObjectName("dev.custody:type=Heap,*"), null).forEach(n -> names.add(n.toString()));
        System.out.println("names=" + names);
        ObjectName twin = new ObjectName("dev.custody:type=Heap,name=twin");
        System.out.println("twin.LiveBytes=" + server.getAttribute(twin, "LiveBytes"));
        TabularData tags = (TabularData) server.getAttribute(twin, "Tags");
        TreeSet<String> rows = new TreeSet<>();
        for (Object row : tags.values()) {
            CompositeData r = (CompositeData) row;
            CompositeData f = (CompositeData) r.get("value");
            rows.add(r.get("key") + ":" + f.get("liveBytes") + "/" + f.get("liveBlocks"));
        }
        System.out.println("twin.Tags=" + rows);
        var info = server.getMBeanInfo(twin);
        for (var a : info.getAttributes()) {
            if (a.getName().equals("LiveBytes") || a.getName().equals("Tags")) {
                System.out.println("describe." + a.getName() + "=" + a.getDescription());
            }
        }
        for (var op : info.getOperations()) {
            System.out.println("operation=" + op.getName() + "(" + op.getSignature()[0].getName() + ")");
        }
        server.invoke(twin, "changeTracking", new Object[] {"sampled:64k"}, new String[] {String.class.getName()});
        System.out.println("after-invoke=" + twin1.tracking() + " " + server.getAttribute(twin, "Tracking"));
        try {
            server.invoke(twin, "changeTracking", new Object[] {"loud"}, new String[] {String.class.getName()});
            System.out.println("bad-invoke=accepted");
        } catch (javax.management.RuntimeMBeanException e) {
            System.out.println("bad-invoke=" + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage());
        }
        System.out.println("after-bad-invoke=" + twin1.tracking());
        try {
            server.setAttribute(twin, new Attribute("Tracking", "FULL"));
            System.out.println("tracking-attribute=writable");
        } catch (javax.management.AttributeNotFoundException e) {
            System.out.println("tracking-attribute=read-only");
        }
        b.free();
        c.free();
        twin1.close();
        twin2.close();
        odd.close();
        names.clear();
        server.queryNames(new ObjectName("dev.custody:type=Heap,*"), null).forEach(n -> names.add(n.toString()));
        System.out.println("names-after-close=" + names);
    }

    private static void exit() {
        Heap libc = Heaps.libc();
        Heap mod = libc.child("mod", Long.MAX_VALUE);
        for (int i = 0; i < 3; i++) {
            leakTwo(mod);
        }
        mod.allocate(7, Tag.of("strings")); // another site
        libc.allocate(5, Tag.of("kept")).markNotALeak();
        Region region = Heaps.region(libc, 4096); // its chunk is the region's, not a leak
        region.allocate(16, Tag.of("level"));
        System.out.println("main-done");
    }

    private static void leakTwo(Heap h) {
        h.allocate(100, Tag.of("paths"));
    }
}

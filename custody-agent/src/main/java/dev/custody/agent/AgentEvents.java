package dev.custody.agent;

import dev.custody.agent.boot.Books;
import dev.custody.agent.boot.EventSink;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.MemoryAddress;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * The agent's JFR events, named as custody-core's ({@code dev.custody.Allocation},
 * {@code dev.custody.Misuse}) so that {@code custody report} reads both, and a periodic
 * {@code dev.custody.Books} per source kind. Their heap is {@value #HEAP}, their tag the kind.
 */
final class AgentEvents implements EventSink {
    /** The heap name of the agent's events: the JVM's malloc heap. */
    static final String HEAP = "jvm";

    @Name("dev.custody.Allocation")
    @Label("Custody Allocation")
    @Category({"Custody"})
    @Description("A sampled off-heap allocation of the JVM's malloc heap, seen by the custody agent")
    @StackTrace(true)
    static final class Allocation extends Event {
        @Label("Heap") String heap;
        @Label("Tag") String tag;
        @Label("Owner") String owner;
        @Label("Size") @DataAmount long size;
        @Label("Address") @MemoryAddress long address;
        @Label("Site") String site;
    }

    @Name("dev.custody.Misuse")
    @Label("Custody Misuse")
    @Category({"Custody"})
    @Description("A misuse of the JVM's malloc heap seen by the custody agent: reported, not refused")
    static final class Misuse extends Event {
        @Label("Kind") String kind;
        @Label("Heap") String heap;
        @Label("Message") String message;
        @Label("Site") String site;
        @Label("Address") @MemoryAddress long address;
    }

    @Name("dev.custody.Books")
    @Label("Custody Books")
    @Category({"Custody"})
    @Description("The custody agent's books of one source kind")
    @Period("1 s")
    @StackTrace(false)
    static final class BooksEvent extends Event {
        @Label("Heap") String heap;
        @Label("Tag") String tag;
        @Label("Live") @DataAmount long liveBytes;
        @Label("Live blocks") long liveBlocks;
        @Label("Allocations") long allocations;
        @Label("Frees") long frees;
    }

    /** Registers the periodic books event; returns the sink for the hooks. */
    static AgentEvents register() {
        FlightRecorder.addPeriodicEvent(BooksEvent.class, AgentEvents::books);
        return new AgentEvents();
    }

    private static void books() {
        for (String kind : Books.KINDS) {
            BooksEvent e = new BooksEvent();
            if (!e.isEnabled()) {
                return;
            }
            Books.Figures f = Books.of(kind);
            e.heap = HEAP;
            e.tag = kind;
            e.liveBytes = f.liveBytes();
            e.liveBlocks = f.liveBlocks();
            e.allocations = f.allocations();
            e.frees = f.frees();
            e.commit();
        }
    }

    @Override
    public void sampled(String kind, String owner, String site, long size, long address) {
        Allocation e = new Allocation();
        if (e.isEnabled()) {
            e.heap = HEAP;
            e.tag = kind;
            e.owner = owner;
            e.size = size;
            e.address = address;
            e.site = site;
            e.commit();
        }
    }

    @Override
    public void misuse(String kind, String site, long address, String allocationSite) {
        Misuse e = new Misuse();
        if (e.isEnabled()) {
            e.kind = kind;
            e.heap = HEAP;
            e.site = site;
            e.address = address;
            e.message = kind + " of 0x" + Long.toHexString(address) + " at " + site
                    + (allocationSite == null ? "" : " (allocated at " + allocationSite + ")");
            e.commit();
        }
    }
}

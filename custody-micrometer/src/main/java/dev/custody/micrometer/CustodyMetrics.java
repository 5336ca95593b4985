package dev.custody.micrometer;

import dev.custody.Custody;
import dev.custody.Figures;
import dev.custody.Heap;
import dev.custody.Tag;
import dev.custody.observe.HeapListener;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Custody's books as Micrometer meters, for every open heap and every tag it has used, tagged
 * {@code heap} and {@code tag}:
 * <ul>
 *   <li>gauges {@code custody.native.memory.used} (bytes in live blocks), {@code
 *       custody.native.blocks.live} and {@code custody.native.memory.peak} (the highest bytes
 *       seen, in bytes);</li>
 *   <li>function counters {@code custody.native.allocations} and {@code custody.native.frees}
 *       (blocks allocated or adopted, and freed, since the heap was made).</li>
 * </ul>
 *
 * <p>Heaps made after {@link #bindTo} are seen as they are made, and their meters are removed
 * when they close. A heap's tags are read when it is made and again every {@code refresh} (10 s by
 * default, and on {@link #refresh()}), so a tag's meters appear at most one refresh after the
 * tag's first block. A heap whose name another open heap already has is tagged {@code name#2}
 * (then {@code #3}, ...), so that two heaps never share a meter. Heaps are held weakly: a heap the
 * GC took without a close loses its meters at the next refresh.
 *
 * <p>Every meter reads the books when the registry reads it; binding costs an allocation nothing.
 * {@link #close()} stops the refresh and removes every meter this binder registered.
 */
public final class CustodyMetrics implements MeterBinder, AutoCloseable {
    /** The refresh of the no-argument constructor. */
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(10);

    private final Duration refresh;
    private final Tags extraTags;
    private final List<MeterRegistry> registries = new ArrayList<>();
    /** Per heap, by its serial identity ({@link dev.custody.HeapStats#id()}; never a strong reference): its meters. */
    private final Map<Long, Bound> bound = new HashMap<>();
    private final HeapListener listener = new HeapListener() {
        @Override
        public void opened(Heap heap) {
            add(heap);
        }

        @Override
        public void closed(Heap heap) {
            remove(heap);
        }
    };
    private ScheduledExecutorService scheduler;
    private boolean closed;

    /** Refreshes every {@link #DEFAULT_REFRESH}, with no tags but {@code heap} and {@code tag}. */
    public CustodyMetrics() {
        this(DEFAULT_REFRESH, Tags.empty());
    }

    /**
     * A binder that reads the heaps' tags again every {@code refresh}, and adds {@code extraTags} to
     * every meter. Nothing is registered or scheduled until {@link #bindTo}.
     *
     * @param refresh how often the heaps' tags are read again for new ones
     * @param extraTags tags added to every meter (the registry's common tags are added anyway)
     * @throws IllegalArgumentException if {@code refresh} is not positive
     * @throws NullPointerException if an argument is null
     */
    public CustodyMetrics(Duration refresh, Iterable<io.micrometer.core.instrument.Tag> extraTags) {
        this.refresh = Objects.requireNonNull(refresh, "refresh");
        if (refresh.isNegative() || refresh.isZero()) {
            throw new IllegalArgumentException("the refresh must be positive: " + refresh);
        }
        this.extraTags = Tags.of(Objects.requireNonNull(extraTags, "extraTags"));
    }

    /**
     * Registers the meters of every open heap and tag with {@code registry}, and from now on those
     * of heaps and tags that appear. A binder may be bound to several registries.
     *
     * @throws IllegalStateException if this binder was closed
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (closed) {
            throw new IllegalStateException("CustodyMetrics was closed");
        }
        if (registries.contains(registry)) {
            return;
        }
        registries.add(registry);
        if (scheduler == null) {
            Custody.addHeapListener(listener);
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "custody-metrics");
                t.setDaemon(true);
                return t;
            });
            long ms = Math.max(1, refresh.toMillis());
            scheduler.scheduleWithFixedDelay(this::refresh, ms, ms, TimeUnit.MILLISECONDS);
        }
        refresh();
    }

    /**
     * Reads every open heap's tags now and registers the meters of those not yet seen; drops the
     * meters of heaps the GC took. Called every refresh; callable at any time.
     */
    public synchronized void refresh() {
        if (closed || registries.isEmpty()) {
            return;
        }
        bound.values().removeIf(b -> {
            if (b.heap.get() == null) {
                b.removeFrom(registries);
                return true;
            }
            return false;
        });
        for (Heap h : Custody.heaps()) {
            add(h);
        }
    }

    private synchronized void add(Heap heap) {
        if (closed || registries.isEmpty()) {
            return;
        }
        dev.custody.HeapStats stats = heap.stats();
        Bound b = bound.get(stats.id());
        if (b == null) {
            b = new Bound(heap, meterName(heap.name()), registries.size());
            bound.put(stats.id(), b);
        }
        while (b.meters.size() < registries.size()) {
            b.meters.add(new ArrayList<>());
        }
        for (Tag t : stats.byTag().keySet()) {
            if (b.tags.add(t)) {
                for (int i = 0; i < registries.size(); i++) {
                    b.meters.get(i).addAll(register(registries.get(i), heap, b.name, t));
                }
            }
        }
    }

    private synchronized void remove(Heap heap) {
        Bound b = bound.remove(heap.stats().id());
        if (b != null) {
            b.removeFrom(registries);
        }
    }

    /** {@code name}, or {@code name#2}, {@code #3}, ... when another bound heap has it. */
    private String meterName(String name) {
        Set<String> taken = new HashSet<>();
        for (Bound b : bound.values()) {
            taken.add(b.name);
        }
        String n = name;
        for (int i = 2; taken.contains(n); i++) {
            n = name + "#" + i;
        }
        return n;
    }

    private List<Meter> register(MeterRegistry registry, Heap heap, String heapName, Tag tag) {
        Tags tags = extraTags.and("heap", heapName, "tag", tag.name());
        List<Meter> out = new ArrayList<>(5);
        out.add(gauge(registry, "custody.native.memory.used", "Bytes in live blocks", "bytes", heap, tag, tags,
                Figures::liveBytes));
        out.add(gauge(registry, "custody.native.blocks.live", "Live blocks", "blocks", heap, tag, tags,
                Figures::liveBlocks));
        out.add(gauge(registry, "custody.native.memory.peak", "The highest bytes in live blocks seen", "bytes",
                heap, tag, tags, Figures::peakBytes));
        out.add(FunctionCounter.builder("custody.native.allocations", heap, read(tag, Figures::allocations))
                .description("Blocks allocated or adopted").baseUnit("blocks").tags(tags).register(registry));
        out.add(FunctionCounter.builder("custody.native.frees", heap, read(tag, Figures::frees))
                .description("Blocks freed").baseUnit("blocks").tags(tags).register(registry));
        return out;
    }

    private static Gauge gauge(MeterRegistry registry, String name, String description, String unit, Heap heap,
                               Tag tag, Tags tags, java.util.function.ToLongFunction<Figures> figure) {
        return Gauge.builder(name, heap, read(tag, figure)).description(description).baseUnit(unit).tags(tags)
                .register(registry);
    }

    /** One figure of one tag, read from the books when the registry asks; the heap is held weakly by the meter. */
    private static ToDoubleFunction<Heap> read(Tag tag, java.util.function.ToLongFunction<Figures> figure) {
        return h -> figure.applyAsLong(h.stats().tag(tag));
    }

    /**
     * Stops the refresh, stops listening for heaps, and removes every meter this binder registered.
     * Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Custody.removeHeapListener(listener);
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        for (Bound b : bound.values()) {
            b.removeFrom(registries);
        }
        bound.clear();
    }

    /** A heap's meters: its meter name, the tags registered, and per registry (by index) the meters. */
    private static final class Bound {
        final WeakReference<Heap> heap;
        final String name;
        final Set<Tag> tags = new HashSet<>();
        final List<List<Meter>> meters = new ArrayList<>();

        Bound(Heap heap, String name, int registries) {
            this.heap = new WeakReference<>(heap);
            this.name = name;
            for (int i = 0; i < registries; i++) {
                meters.add(new ArrayList<>());
            }
        }

        void removeFrom(List<MeterRegistry> registries) {
            for (int i = 0; i < meters.size(); i++) {
                for (Meter m : meters.get(i)) {
                    registries.get(i).remove(m);
                }
            }
        }
    }
}

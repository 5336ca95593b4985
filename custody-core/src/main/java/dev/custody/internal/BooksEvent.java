package dev.custody.internal;

import dev.custody.Figures;
import dev.custody.HeapStats;
import dev.custody.Tag;
import java.util.Map;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code dev.custody.Books}, periodic: the books of every open heap, one event per heap
 * and tag, every second by default. The period is a setting of the recording, as for the JDK's own
 * periodic events: {@code -XX:StartFlightRecording:dev.custody.Books#period=10s} (JDK 17+), a
 * {@code .jfc} file, or {@code recording.enable("dev.custody.Books").withPeriod(duration)}.
 *
 * <p>The hook is registered when the flight recorder starts (or at once if it runs already), so
 * a JVM that never records pays nothing for it: registering it would start JFR's machinery, some
 * 300 ms.
 */
@Name("dev.custody.Books")
@Label("Custody Books")
@Category({"Custody"})
@Description("The books of one heap and tag: live bytes and blocks, peak, allocations and frees")
@Period("1 s")
@StackTrace(false)
final class BooksEvent extends jdk.jfr.Event {
    @Label("Heap") String heap;
    @Label("Tag") String tag;
    @Label("Live") @DataAmount long liveBytes;
    @Label("Live blocks") long liveBlocks;
    @Label("Peak") @DataAmount @Description("The highest live bytes of this heap and tag so far") long peakBytes;
    @Label("Allocations") long allocations;
    @Label("Frees") long frees;

    private static final Runnable HOOK = BooksEvent::emitAll;

    /** Registers the periodic hook once the flight recorder is initialized. Called once, by {@link HeapDirectory}. */
    static void registerWhenRecording() {
        FlightRecorder.addListener(new FlightRecorderListener() {
            @Override
            public void recorderInitialized(FlightRecorder recorder) {
                FlightRecorder.addPeriodicEvent(BooksEvent.class, HOOK);
            }
        });
    }

    private static void emitAll() {
        if (!new BooksEvent().isEnabled()) {
            return;
        }
        for (AbstractHeap h : HeapDirectory.all()) {
            HeapStats s = h.stats();
            for (Map.Entry<Tag, Figures> t : s.byTag().entrySet()) {
                Figures f = t.getValue();
                BooksEvent e = new BooksEvent();
                e.heap = s.heap();
                e.tag = t.getKey().name();
                e.liveBytes = f.liveBytes();
                e.liveBlocks = f.liveBlocks();
                e.peakBytes = f.peakBytes();
                e.allocations = f.allocations();
                e.frees = f.frees();
                e.commit();
            }
        }
    }
}

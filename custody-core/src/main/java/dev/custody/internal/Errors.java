package dev.custody.internal;

import dev.custody.AllocationFailedException;
import dev.custody.BlockInUseException;
import dev.custody.BlockOwnershipException;
import dev.custody.CustodyException;
import dev.custody.DoubleFreeException;
import dev.custody.IllegalHandOffException;
import dev.custody.Site;
import dev.custody.Tag;
import dev.custody.UnknownBlockException;
import dev.custody.UseAfterFreeException;
import dev.custody.WrongHeapException;
import dev.custody.observe.MisuseEvent;

import java.util.List;

/**
 * Builds custody's exceptions. Every message is made here, only on the failure path, and every
 * misuse is also emitted as a JFR {@code dev.custody.Misuse} event.
 */
final class Errors {
    private Errors() {
    }

    static String describe(BlockImpl b) {
        return b.size + " B block tagged '" + b.tag + "' at 0x" + Long.toHexString(b.address) + " of heap '"
                + b.heap.name() + "'";
    }

    static List<Site> sites(BlockImpl b) {
        History h = b.history;
        return h == null ? List.of() : h.sites();
    }

    static String allocatedAt(BlockImpl b) {
        History h = b.history;
        return h == null ? " (allocation site not tracked; set Tracking.FULL on the heap to see it)"
                : "\n  allocated: " + h.allocation().describe();
    }

    private static <T extends CustodyException> T emit(T e) {
        MisuseEvent.emit(e.getClass().getSimpleName(), e.heap(), e.getMessage());
        return e;
    }

    static WrongHeapException wrongHeap(BlockImpl b, String callerHeap, String op) {
        return emit(new WrongHeapException(op + " of " + describe(b) + " through heap '" + callerHeap
                + "': block of '" + b.heap.name() + "' freed through '" + callerHeap + "'. The block is untouched and"
                + " still " + (b.isLive() ? "live" : "dead") + "; free it through '" + b.heap.name() + "'."
                + allocatedAt(b), b.heap.name(), callerHeap, b.tag, b.size, sites(b)));
    }

    static CustodyException dead(BlockImpl b, int state, String op) {
        History h = b.history;
        if (state == BlockImpl.FREED && (op.equals("free") || op.equals("release"))) {
            Site first = h == null ? null : h.last("free");
            return emit(new DoubleFreeException("double free: " + op + " of " + describe(b)
                    + ", which was already freed. Nothing reached the native allocator twice."
                    + (first == null ? "" : "\n  first free: " + first.describe()) + allocatedAt(b),
                    b.heap.name(), b.tag, b.size, sites(b)));
        }
        String death = BlockImpl.death(state);
        Site s = h == null ? null : h.last(BlockImpl.deathEvent(state));
        return emit(new UseAfterFreeException(op + "() on " + describe(b) + ", which was already " + death + "."
                + (s == null ? "" : "\n  " + death + ": " + s.describe()) + allocatedAt(b),
                b.heap.name(), b.tag, b.size, death, sites(b)));
    }

    static BlockOwnershipException notOwner(BlockImpl b, Thread owner, String op) {
        Thread me = Thread.currentThread();
        return emit(new BlockOwnershipException(op + "() on " + describe(b) + " from thread '" + me.getName()
                + "', but the block belongs to thread '" + owner.getName() + "'. The owner must detach() it first,"
                + " or other threads can borrow it with open()." + allocatedAt(b),
                b.heap.name(), b.tag, b.size, owner.getName(), me.getName(), sites(b)));
    }

    static BlockInUseException inUse(BlockImpl b, int views, String op) {
        return emit(new BlockInUseException(op + "() on " + describe(b) + " refused: " + views
                + " view(s) are still open. Close them first; the block is unchanged." + allocatedAt(b),
                b.heap.name(), b.tag, b.size, views, sites(b)));
    }

    static IllegalHandOffException illegalHandOff(BlockImpl b, String why) {
        return emit(new IllegalHandOffException("handOff() of " + describe(b) + " refused: " + why
                + ". Native code could not free it correctly; the block is unchanged." + allocatedAt(b),
                b.heap.name(), b.tag, b.size, sites(b)));
    }

    static UnknownBlockException unknown(String heap, long address) {
        return emit(new UnknownBlockException("free of unknown address 0x" + Long.toHexString(address)
                + " through heap '" + heap + "': custody did not hand it out and it was not adopted."
                + " It was NOT passed to the native allocator.", heap, address));
    }

    static AllocationFailedException failed(String heap, Tag tag, long size, long limit, String cause) {
        return emit(new AllocationFailedException("allocation of " + size + " B tagged '" + tag + "' on heap '" + heap
                + "' failed: " + cause + ". The books are unchanged.", heap, tag, size, limit));
    }
}

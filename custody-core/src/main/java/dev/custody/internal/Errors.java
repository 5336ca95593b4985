package dev.custody.internal;

import dev.custody.AllocationFailedException;
import dev.custody.AlreadyInCustodyException;
import dev.custody.BlockInUseException;
import dev.custody.BlockOwnershipException;
import dev.custody.CustodyException;
import dev.custody.DoubleFreeException;
import dev.custody.FreeFailedException;
import dev.custody.IllegalHandOffException;
import dev.custody.Site;
import dev.custody.Tag;
import dev.custody.Tracking;
import dev.custody.UnknownBlockException;
import dev.custody.UseAfterFreeException;
import dev.custody.WrongHeapException;

import java.util.List;

/**
 * Builds custody's exceptions. Every message is made here, only on the failure path, and every
 * misuse is also emitted as a JFR {@code dev.custody.Misuse} event.
 */
public final class Errors {
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
        return h == null ? " (" + Tracking.UNTRACKED_HINT + ")" : "\n  allocated: " + h.allocation().describe();
    }

    private static <T extends CustodyException> T emit(T e) {
        return misuse(e, e.heap());
    }

    /** A block's size, tag and address, without its heap: for messages that name the heap once already. */
    private static String what(BlockImpl b) {
        return "the " + b.size + " B block tagged '" + b.tag + "' at 0x" + Long.toHexString(b.address);
    }

    /**
     * A free, hand-off, reallocation or transfer through a heap that is not the owner, worded for
     * what was asked: a hand-off names the heap it was handed off to. Each message names the two
     * heaps once, in its first clause.
     */
    static WrongHeapException wrongHeap(BlockImpl b, String callerHeap, String op) {
        String owner = b.heap.name();
        String state = " The block is untouched and still " + (b.isLive() ? "live" : "dead") + "; ";
        String what = switch (op) {
            case "handOff" -> "block of '" + owner + "' handed off to '" + callerHeap + "', which does not free"
                    + " through '" + owner + "'s free function: handOff() of " + what(b) + " refused, since the"
                    + " native side would free it with the wrong allocator." + state + "allocate it from '"
                    + callerHeap + "' if that side frees it, or hand it off to '" + owner + "'.";
            case "reallocate" -> "block of '" + owner + "' reallocated through '" + callerHeap + "': reallocate() of "
                    + what(b) + " refused." + state + "reallocate it through '" + owner + "'.";
            case "transfer" -> "transfer() of " + what(b) + " out of '" + callerHeap + "' refused: it is not a block"
                    + " of '" + callerHeap + "' but of '" + owner + "'." + state
                    + "transfer it from the heap that owns it.";
            default -> "block of '" + owner + "' freed through '" + callerHeap + "': " + op + "() of " + what(b)
                    + " refused." + state + "free it through '" + owner + "'.";
        };
        return emit(new WrongHeapException(what + allocatedAt(b), owner, callerHeap, b.tag, b.size, sites(b)));
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

    /**
     * A free, hand-off, reallocation, transfer or release of a pool's chunk through its parent: the
     * chunk is the pool's (a region's or slab's memory), and only the pool gives it back.
     */
    static WrongHeapException heldByPool(BlockImpl b, String pool, String op) {
        return emit(new WrongHeapException(op + "() of " + describe(b) + " refused: it is a chunk held by pool '"
                + pool + "', whose blocks live in it. Only the pool gives it back, at its release or close. The"
                + " chunk is untouched and still live." + allocatedAt(b), pool, b.heap.name(), b.tag, b.size,
                sites(b)));
    }

    static BlockOwnershipException notOwner(BlockImpl b, Thread owner, String op) {
        Thread me = Thread.currentThread();
        return emit(new BlockOwnershipException(op + "() on " + describe(b) + " from thread '" + me.getName()
                + "', but the block belongs to thread '" + owner.getName() + "'. The owner must detach() it first,"
                + " or other threads can borrow it with open()." + allocatedAt(b),
                b.heap.name(), b.tag, b.size, owner.getName(), me.getName(), sites(b)));
    }

    static BlockInUseException inUse(BlockImpl b, int views, String op) {
        return emit(new BlockInUseException(op + "() on " + describe(b) + " refused: " + Words.count(views, "view")
                + (views == 1 ? " is" : " are") + " still open. Close them first; the block is unchanged." + allocatedAt(b),
                b.heap.name(), b.tag, b.size, views, sites(b)));
    }

    /** A counted block freed while others hold it, or reallocated at all. */
    static BlockInUseException counted(BlockImpl b, int refs, String op) {
        String why = op.equals("reallocate")
                ? "it is reference counted, and its other holders would keep the old address"
                : "its reference count is " + refs + "; use release(), which frees it when the count reaches 0";
        return emit(new BlockInUseException(op + "() of reference-counted " + describe(b) + " refused: " + why
                + ". The block is unchanged." + allocatedAt(b), b.heap.name(), b.tag, b.size, 0, refs, sites(b)));
    }

    static IllegalStateException refCountOverflow(BlockImpl b) {
        return misuse(new IllegalStateException("reference count overflow on " + describe(b)), b.heap.name());
    }

    /** The native free (or the releaser) threw: the block lives on, counted. */
    static FreeFailedException freeFailed(BlockImpl b, String op, Throwable cause) {
        return emit(new FreeFailedException(op + "() of " + describe(b) + " failed: the free function threw "
                + cause + ". The memory was not given back: the block is still live and counted in the books."
                + allocatedAt(b), b.heap.name(), b.tag, b.size, sites(b), cause));
    }

    /** An adoption of a range custody holds already, at its start or inside it. */
    static AlreadyInCustodyException alreadyInCustody(String heap, long addr, long size, Tag tag, BlockImpl holder) {
        String where = holder.address == addr ? "custody already holds that address as " + holder
                : "the range [0x" + Long.toHexString(addr) + ", 0x" + Long.toHexString(addr + size)
                        + ") overlaps " + holder + ", which is custody's own memory";
        return emit(new AlreadyInCustodyException("adopt of 0x" + Long.toHexString(addr) + " (" + size
                + " B) into heap '" + heap + "' refused: " + where + ". Nothing changed.", heap, tag, size, addr,
                holder.address, sites(holder)));
    }

    /** The allocator handed out an address custody holds as live: freed behind custody's back. */
    static CustodyException reused(String heap, BlockImpl fresh, BlockImpl old) {
        return emit(new CustodyException("allocator of heap '" + heap + "' returned 0x"
                + Long.toHexString(fresh.address) + ", which custody still holds as " + old
                + ": that block was freed behind custody's back.", heap, fresh.tag, fresh.size, List.of()));
    }

    /** An allocation, adoption or close on a closed heap, or under a closed ancestor. */
    static IllegalStateException closed(String heap, String closedHeap, String op) {
        return misuse(new IllegalStateException(op + " on heap '" + heap + "' refused: "
                + (heap.equals(closedHeap) ? "it is closed" : "its ancestor heap '" + closedHeap + "' is closed")
                + ". Nothing changed."), heap);
    }

    static IllegalStateException alreadyClosing(String heap) {
        return misuse(new IllegalStateException("heap '" + heap + "' is already closed or closing"), heap);
    }

    /** A region's method off its thread, or a frame's off its own. */
    static WrongThreadException wrongThread(String heap, String message) {
        return misuse(new WrongThreadException(message), heap);
    }

    /** A misuse of a pool or frame that is not about one block: a popped frame, a closed region. */
    static IllegalStateException illegalState(String heap, String message) {
        return misuse(new IllegalStateException(message), heap);
    }

    static UnsupportedOperationException unsupported(String heap, String message) {
        return misuse(new UnsupportedOperationException(message), heap);
    }

    /** A counted block on a region, or on a debug heap over one: the release would kill it under its count. */
    static UnsupportedOperationException countedOnRegion(String heap, String region) {
        return unsupported(heap, "reference-counted blocks on region '" + region + "'"
                + (heap.equals(region) ? "" : " (through '" + heap + "')")
                + " refused: the region's release, not a count, decides when its blocks die");
    }

    static IllegalArgumentException illegalArgument(String heap, String message) {
        return misuse(new IllegalArgumentException(message), heap);
    }

    /** A tag scope closed twice or out of order (for {@link dev.custody.Tags}, outside this package). */
    public static IllegalStateException tagScope(String message) {
        return misuse(new IllegalStateException(message), null);
    }

    private static <T extends RuntimeException> T misuse(T e, String heap) {
        MisuseEvent.emit(e.getClass().getSimpleName(), heap, e.getMessage());
        return e;
    }

    static IllegalHandOffException illegalHandOff(BlockImpl b, String why) {
        return emit(new IllegalHandOffException("handOff() of " + describe(b) + " refused: " + why
                + ". Native code could not free it correctly; the block is unchanged." + allocatedAt(b),
                b.heap.name(), b.tag, b.size, sites(b)));
    }

    /**
     * A raw-address free, through another heap, of an address inside a pool's memory (a region's
     * chunk or reservation, a thread's frames), which has no block of that heap's at that address.
     */
    static WrongHeapException insidePool(String heap, long address, String pool, String op) {
        return emit(new WrongHeapException(op + " of address 0x" + Long.toHexString(address) + " through heap '"
                + heap + "' refused: it lies inside the memory of " + pool + ", which alone gives it back."
                + " It was NOT passed to the native allocator; free the block through the pool that carved it.",
                pool, heap, dev.custody.Tag.UNTAGGED, 0, List.of()));
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

package dev.custody.ffi;

import dev.custody.Tag;
import dev.custody.nativeheap.NativeAllocator;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayDeque;
import java.util.Iterator;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A plugin's allocator as custody sees it: it only frees. Every response buffer is adopted into
 * the plugin's heap; when custody frees the block, this rebuilds the struct the plugin returned
 * (the ABI's free functions take the whole struct: rustbridge rebuilds a {@code Vec} from the
 * length and capacity) and passes it to {@code plugin_free_buffer} or {@code rb_response_free}.
 *
 * <p>The identity of the heap is {@code plugin_free_buffer}'s address: one heap per library.
 */
final class BufferAllocator implements NativeAllocator {
    private final String library;
    private final MethodHandle freeBuffer;
    private final MethodHandle freeResponse;
    private final Long identity;
    /**
     * The structs of the buffers this thread is taking, innermost last. A buffer is adopted, read
     * and freed within its call, on the calling thread (a reader may call the plugin again, hence a
     * stack), so its struct is found here without a shared map: a ConcurrentHashMap put and remove
     * cost about 25 ns a call, a tenth of a raw round trip.
     */
    private static final ThreadLocal<ArrayDeque<Returned>> IN_FLIGHT = ThreadLocal.withInitial(ArrayDeque::new);

    BufferAllocator(String library, MemorySegment freeBufferSymbol, MethodHandle freeBuffer, MethodHandle freeResponse) {
        this.library = library;
        this.freeBuffer = freeBuffer;
        this.freeResponse = freeResponse;
        this.identity = freeBufferSymbol.address();
    }

    /**
     * Remembers, for this thread, the struct of a buffer about to be adopted. A data address that
     * is already a live buffer is refused by the adoption itself (custody's registry).
     */
    void expect(Returned r) {
        IN_FLIGHT.get().addLast(r);
    }

    /** Forgets a buffer whose adoption failed. */
    void forget(Returned r) {
        IN_FLIGHT.get().removeLastOccurrence(r);
    }

    private static Returned take(long address) {
        for (Iterator<Returned> it = IN_FLIGHT.get().descendingIterator(); it.hasNext(); ) {
            Returned r = it.next();
            if (r.data() == address) {
                it.remove();
                return r;
            }
        }
        return null;
    }

    @Override
    public long allocate(long size, Tag tag) {
        throw new UnsupportedOperationException("the heap of plugin '" + library
                + "' only takes buffers the plugin returned (by adoption); it cannot allocate");
    }

    @Override
    public boolean canAllocate() {
        return false;
    }

    @Override
    public void free(long address) {
        Returned r = take(address);
        if (r == null) {
            throw new IllegalStateException("0x" + Long.toHexString(address) + " was adopted into the heap of plugin '"
                    + library + "' but is not a buffer this thread is taking from the plugin: its struct is unknown,"
                    + " so neither plugin_free_buffer nor rb_response_free can free it; it is left alone");
        }
        release(r);
    }

    /**
     * Passes a sound buffer that was never adopted, one of capacity 0 ({@link Returned#zeroCapacity()}),
     * to the plugin's free.
     *
     * @throws IllegalStateException if the plugin's free function fails
     */
    void freeUnadopted(Returned r) {
        release(r);
    }

    private void release(Returned r) {
        try {
            MemorySegment s = r.struct();
            if (s != null && s.isAccessibleBy(Thread.currentThread()) && s.scope().isAlive()) {
                free(r, s); // the usual path: freed during the call, on its thread
            } else {
                try (Arena a = Arena.ofConfined()) {
                    free(r, rebuild(r, a));
                }
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(r.freeFunction() + " of plugin '" + library + "' failed", t);
        }
    }

    private void free(Returned r, MemorySegment struct) throws Throwable {
        if (r.raw()) {
            freeResponse.invokeExact(struct);
        } else {
            freeBuffer.invokeExact(struct);
        }
    }

    /** The struct as the plugin returned it, written anew. */
    private static MemorySegment rebuild(Returned r, Arena a) {
        if (r.raw()) {
            MemorySegment s = a.allocate(Abi.RB_RESPONSE);
            s.set(JAVA_INT, Abi.RB_ERROR_CODE, r.errorCode());
            s.set(JAVA_INT, Abi.RB_LEN, (int) r.len());
            s.set(JAVA_INT, Abi.RB_CAPACITY, (int) r.capacity());
            s.set(JAVA_LONG, Abi.RB_DATA, r.data());
            return s;
        }
        MemorySegment s = a.allocate(Abi.FFI_BUFFER);
        s.set(JAVA_LONG, Abi.FB_DATA, r.data());
        s.set(JAVA_LONG, Abi.FB_LEN, r.len());
        s.set(JAVA_LONG, Abi.FB_CAPACITY, r.capacity());
        s.set(JAVA_INT, Abi.FB_ERROR_CODE, r.errorCode());
        return s;
    }

    @Override
    public Object freeIdentity() {
        return identity;
    }
}

package dev.custody.ffi;

import dev.custody.Releaser;
import dev.custody.Tag;
import dev.custody.nativeheap.NativeAllocator;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A plugin's allocator as custody sees it: it only frees, and only through a {@link Releaser}.
 * Every response buffer is adopted into the plugin's heap with {@link #releaser(Returned)}, which
 * passes the struct the plugin returned (the ABI's free functions take the whole struct:
 * rustbridge rebuilds a {@code Vec} from the length and capacity) to {@code plugin_free_buffer} or
 * {@code rb_response_free}, from whichever thread frees the block, during the call or after it.
 *
 * <p>The identity of the heap is {@code plugin_free_buffer}'s address: one heap per library.
 */
final class BufferAllocator implements NativeAllocator {
    private final String library;
    private final MethodHandle freeBuffer;
    private final MethodHandle freeResponse;
    private final Long identity;

    BufferAllocator(String library, MemorySegment freeBufferSymbol, MethodHandle freeBuffer, MethodHandle freeResponse) {
        this.library = library;
        this.freeBuffer = freeBuffer;
        this.freeResponse = freeResponse;
        this.identity = freeBufferSymbol.address();
    }

    /** How the buffer of this struct goes back: through the plugin's free function for its kind of struct. */
    Releaser releaser(Returned r) {
        return address -> free(r);
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

    /**
     * Refuses: an address alone cannot be freed, since the plugin's free functions take the whole
     * struct. Custody reports it as a {@link dev.custody.FreeFailedException}, and the block stays
     * live; adopt plugin buffers with {@link #releaser(Returned)}.
     */
    @Override
    public void free(long address) {
        throw new UnsupportedOperationException("0x" + Long.toHexString(address) + " was adopted into the heap of plugin '"
                + library + "' without a releaser: plugin_free_buffer and rb_response_free take the struct the"
                + " plugin returned, not an address, so it is left alone; adopt it with a releaser");
    }

    /**
     * Passes a sound buffer that was never adopted, one of capacity 0 ({@link Returned#zeroCapacity()}),
     * to the plugin's free.
     *
     * @throws IllegalStateException if the plugin's free function fails
     */
    void freeUnadopted(Returned r) {
        free(r);
    }

    private void free(Returned r) {
        try {
            MemorySegment s = r.struct();
            if (s != null && s.scope().isAlive() && s.isAccessibleBy(Thread.currentThread())) {
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

package dev.custody.ffi;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The fields of one response struct as the plugin returned it, read before anything is trusted.
 *
 * @param raw true for an {@code RbResponse} (freed with {@code rb_response_free}), false for an
 *     {@code FfiBuffer} (freed with {@code plugin_free_buffer})
 * @param len and {@code capacity}: unsigned on the wire; a {@code size_t} past 2⁶³ reads negative
 * @param struct the struct as the downcall returned it, in the calling thread's arena: the free
 *     passes it straight to the plugin while it is alive and accessible
 */
record Returned(boolean raw, long data, long len, long capacity, int errorCode, MemorySegment struct) {
    /** Beyond this a length is absurd: more than any response the host will copy or map. */
    static final long MAX_LEN = 1L << 30;

    static Returned ffiBuffer(MemorySegment s) {
        return new Returned(false, s.get(JAVA_LONG, Abi.FB_DATA), s.get(JAVA_LONG, Abi.FB_LEN),
                s.get(JAVA_LONG, Abi.FB_CAPACITY), s.get(JAVA_INT, Abi.FB_ERROR_CODE), s);
    }

    static Returned rbResponse(MemorySegment s) {
        return new Returned(true, s.get(JAVA_LONG, Abi.RB_DATA), Integer.toUnsignedLong(s.get(JAVA_INT, Abi.RB_LEN)),
                Integer.toUnsignedLong(s.get(JAVA_INT, Abi.RB_CAPACITY)), s.get(JAVA_INT, Abi.RB_ERROR_CODE), s);
    }

    /** What makes this struct unsafe to read or to free, or null if nothing does. */
    String defect() {
        if (len < 0 || len > MAX_LEN) {
            return "absurd length " + Long.toUnsignedString(len) + " (the limit is " + MAX_LEN + " B)";
        }
        if (data == 0 && len > 0) {
            return "NULL data with a length of " + len;
        }
        if (len > capacity && capacity >= 0) {
            return "length " + len + " is greater than the capacity " + capacity;
        }
        if (capacity < 0) {
            return "absurd capacity " + Long.toUnsignedString(capacity);
        }
        return null;
    }

    /** True when there is nothing to read and nothing to free: NULL data. */
    boolean empty() {
        return data == 0;
    }

    /**
     * True for non-NULL data with a capacity of 0 (and so a length of 0), such as {@code malloc(0)}
     * gives: nothing to read, but the plugin's free must still see it. It is not adopted: Rust's
     * empty vector has a dangling pointer that every empty buffer shares, which custody's registry
     * would take for a second adoption of a live block (rustbridge's free then frees nothing).
     */
    boolean zeroCapacity() {
        return data != 0 && capacity == 0;
    }

    String structName() {
        return raw ? "RbResponse" : "FfiBuffer";
    }

    String freeFunction() {
        return raw ? "rb_response_free" : "plugin_free_buffer";
    }
}

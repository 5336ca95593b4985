package dev.custody.nativeheap;

/** The C type of an allocate function's size parameter. */
public enum SizeType {
    /** {@code size_t}: sizes up to what the machine addresses. */
    SIZE_T,
    /** {@code int}, as {@code sqlite3_malloc(int)}: sizes up to 2³¹−1. */
    INT
}

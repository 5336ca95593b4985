package dev.custody.internal;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every address custody handed out or adopted and that is still live, across all heaps. Law 4:
 * a raw-address free is checked here and never reaches native code for an unknown address.
 *
 * <p>An address leaves the registry before it goes back to the native allocator, so that the
 * allocator may hand it out again at once.
 */
final class Registry {
    private static final ConcurrentHashMap<Long, BlockImpl> LIVE = new ConcurrentHashMap<>(1 << 12);

    private Registry() {
    }

    /** @return the block already registered at that address, or null if this one was added */
    static BlockImpl add(BlockImpl b) {
        return LIVE.putIfAbsent(b.address, b);
    }

    static void remove(BlockImpl b) {
        LIVE.remove(b.address, b);
    }

    static BlockImpl find(long address) {
        return LIVE.get(address);
    }

    static Collection<BlockImpl> all() {
        return LIVE.values();
    }
}

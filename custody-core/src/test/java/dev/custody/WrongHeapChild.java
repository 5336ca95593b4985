package dev.custody;

import java.lang.foreign.ValueLayout;

/**
 * The seed's crash, in a child JVM: a block from mimalloc freed by glibc's free().
 * {@code raw}: without custody, the process aborts. {@code custody}: the same mistake throws
 * WrongHeapException, the block stays intact, and it is then freed on mimalloc; exit 0.
 */
public final class WrongHeapChild {
    private WrongHeapChild() {
    }

    public static void main(String[] args) throws Throwable {
        switch (args[0]) {
            case "raw" -> {
                long p = (long) Natives.MI_MALLOC.invokeExact(64L);
                System.out.println("mi_malloc returned 0x" + Long.toHexString(p) + "; calling glibc free()");
                System.out.flush();
                Natives.LIBC_FREE.invokeExact(p);
                System.out.println("survived");
            }
            case "custody" -> {
                Heap mi = Allocators.mimalloc();
                Block b = mi.allocate(64, Tag.of("mod"));
                b.segment().set(ValueLayout.JAVA_LONG, 8, 0xC0FFEEL);
                try {
                    Heaps.libc().free(b);
                    System.out.println("NOT CAUGHT");
                    System.exit(3);
                } catch (WrongHeapException e) {
                    System.out.println("caught: " + e.getMessage().lines().findFirst().orElse(""));
                }
                if (!b.isLive() || b.segment().get(ValueLayout.JAVA_LONG, 8) != 0xC0FFEEL) {
                    System.out.println("block damaged");
                    System.exit(4);
                }
                b.free();
                System.out.println("freed on " + b.heap().name() + "; live blocks " + mi.stats().total().liveBlocks());
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}

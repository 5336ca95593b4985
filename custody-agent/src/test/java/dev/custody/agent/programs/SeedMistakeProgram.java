package dev.custody.agent.programs;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The seed's mistake: a block from mimalloc freed through sun.misc.Unsafe (glibc's free), by a
 * "library" class; then an interior pointer of an Unsafe block. Each refused free is caught and
 * put right.
 */
@SuppressWarnings("removal")
public final class SeedMistakeProgram {
    static final class SloppyLibrary {
        static void release(sun.misc.Unsafe unsafe, long address) {
            unsafe.freeMemory(address); // WRONG-FREE
        }
    }

    public static void main(String[] args) throws Throwable {
        sun.misc.Unsafe unsafe = Programs.unsafe();
        Linker linker = Linker.nativeLinker();
        SymbolLookup mi = SymbolLookup.libraryLookup("libmimalloc.so.2", Arena.global());
        MethodHandle miMalloc = linker.downcallHandle(mi.find("mi_malloc").orElseThrow(), FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
        MethodHandle miFree = linker.downcallHandle(mi.find("mi_free").orElseThrow(), FunctionDescriptor.ofVoid(JAVA_LONG));
        long p = (long) miMalloc.invokeExact(64L);
        System.out.println("mimalloc 0x" + Long.toHexString(p));
        System.out.flush();
        try {
            SloppyLibrary.release(unsafe, p);
            System.out.println("freed through Unsafe");
        } catch (RuntimeException e) {
            System.out.println("refused: " + e.getClass().getName() + ": " + e.getMessage());
            miFree.invokeExact(p);
        }
        long q = unsafe.allocateMemory(256);
        try {
            unsafe.freeMemory(q + 16); // INTERIOR-FREE
            System.out.println("freed an interior pointer");
        } catch (RuntimeException e) {
            System.out.println("refused: " + e.getMessage());
        }
        unsafe.freeMemory(q);
        System.out.println("done");
    }
}

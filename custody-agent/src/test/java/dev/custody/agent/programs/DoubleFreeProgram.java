package dev.custody.agent.programs;

import java.lang.reflect.Field;

/** Frees a block twice through sun.misc.Unsafe: glibc aborts the process, after the agent has said why. */
@SuppressWarnings("removal")
public final class DoubleFreeProgram {
    public static void main(String[] args) throws Exception {
        Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        sun.misc.Unsafe u = (sun.misc.Unsafe) f.get(null);
        long p = u.allocateMemory(96); // MISUSE-ALLOC
        u.freeMemory(p);
        u.freeMemory(p); // DOUBLE-FREE
        System.out.println("survived");
    }
}

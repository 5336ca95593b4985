package dev.custody.agent.programs;

/** Frees a block twice through sun.misc.Unsafe: glibc aborts the process, after the agent has said why. */
@SuppressWarnings("removal")
public final class DoubleFreeProgram {
    public static void main(String[] args) throws Exception {
        sun.misc.Unsafe u = Programs.unsafe();
        long p = u.allocateMemory(96); // MISUSE-ALLOC
        u.freeMemory(p);
        u.freeMemory(p); // DOUBLE-FREE
        System.out.println("survived");
    }
}

package dev.custody.agent.programs;

/** Frees an interior pointer of a live block through sun.misc.Unsafe: an address no allocator handed out. */
@SuppressWarnings("removal")
public final class UnknownFreeProgram {
    public static void main(String[] args) throws Exception {
        sun.misc.Unsafe u = Programs.unsafe();
        long q = u.allocateMemory(64);
        System.out.println("interior 0x" + Long.toHexString(q + 8));
        System.out.flush();
        u.freeMemory(q + 8); // INTERIOR-FREE
        System.out.println("survived");
    }
}

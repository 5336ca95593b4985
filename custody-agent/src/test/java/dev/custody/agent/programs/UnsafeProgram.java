package dev.custody.agent.programs;

/** sun.misc.Unsafe directly: 5 blocks of 256 B of which 3 freed; one of 104 B reallocated to 1000 B. */
@SuppressWarnings("removal")
public final class UnsafeProgram {
    public static void main(String[] args) throws Exception {
        sun.misc.Unsafe u = Programs.unsafe();
        long[] blocks = new long[5];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = u.allocateMemory(256); // UNSAFE-256
        }
        for (int i = 0; i < 3; i++) {
            u.freeMemory(blocks[i]);
        }
        long grown = u.allocateMemory(104); // UNSAFE-104
        grown = u.reallocateMemory(grown, 1000); // UNSAFE-REALLOC
        u.putLong(grown + 992, 7L);
        System.out.println("unsafe " + u.getLong(grown + 992));
    }
}

package dev.custody.cli.programs;

/** Hello, world, with an exit status and what it sees of MALLOC_ARENA_MAX. Arguments: the exit status. */
public final class HelloProgram {
    public static void main(String[] args) {
        System.out.println("hello, world; MALLOC_ARENA_MAX=" + System.getenv("MALLOC_ARENA_MAX"));
        System.exit(args.length == 0 ? 0 : Integer.parseInt(args[0]));
    }
}

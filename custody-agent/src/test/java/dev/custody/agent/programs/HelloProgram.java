package dev.custody.agent.programs;

/** Hello, world: under the agent it must report no misuse and no leak. */
public final class HelloProgram {
    public static void main(String[] args) {
        System.out.println("hello, world");
    }
}

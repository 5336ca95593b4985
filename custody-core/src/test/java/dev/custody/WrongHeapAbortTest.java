package dev.custody;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The seed's crash made real in a child JVM, and custody catching the same mistake. */
class WrongHeapAbortTest {

    @Test
    void glibcFreeOfAMimallocBlockAbortsTheProcess() throws Exception {
        ChildJvm.Result r = ChildJvm.run(WrongHeapChild.class, "raw");
        assertThat(r.stdout()).contains("calling glibc free()").doesNotContain("survived");
        // SIGABRT from glibc's heap check: 128 + 6
        assertThat(r.exitCode()).as("exit code; stderr:\n%s", r.stderr()).isEqualTo(134);
        assertThat(r.stderr()).containsPattern("free\\(\\)|munmap_chunk\\(\\)");
    }

    @Test
    void throughCustodyTheSameMistakeThrowsAndTheChildExitsCleanly() throws Exception {
        ChildJvm.Result r = ChildJvm.run(WrongHeapChild.class, "custody");
        assertThat(r.exitCode()).as("stdout:\n%s\nstderr:\n%s", r.stdout(), r.stderr()).isZero();
        assertThat(r.stdout()).contains("caught: block of 'mimalloc' freed through 'libc': free() of the 64 B block tagged 'mod'")
                .contains("block of 'mimalloc' freed through 'libc'")
                .contains("freed on mimalloc; live blocks 0");
    }
}

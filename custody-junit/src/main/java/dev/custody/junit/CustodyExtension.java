package dev.custody.junit;

import dev.custody.Block;
import dev.custody.Custody;
import dev.custody.Site;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Fails a test that leaves blocks of custody's heaps live: {@code
 * @ExtendWith(CustodyExtension.class)}, or {@link CheckNativeLeaks} on a test class or method.
 *
 * <p>Before each test (before its {@code @BeforeEach} methods) the extension takes a snapshot of
 * the blocks live in every heap ({@link Custody#liveBlocks()}); after it (after its {@code
 * @AfterEach} methods) it fails the test with an {@link AssertionError}, which Surefire and Gradle
 * count as a failure, not an error, when blocks that were not live before are live now. The message
 * lists each such block (by heap, largest first) with its heap, tag, size and allocation site as
 * {@code Class.method(File.java:line)} when its heap tracks sites ({@code -Dcustody.tracking=full}).
 *
 * <p>Left out: blocks live before the test (the test class's static initializer, {@code
 * @BeforeAll}, earlier tests), so a leaking test does not fail the tests after it; blocks {@linkplain
 * Block#markNotALeak() marked not a leak}; and the chunks of pools and frames, which are the pool's,
 * not the test's. Nothing is freed: the leaked blocks stay live, for a debugger or a later report.
 *
 * <p>The snapshot is process-wide: blocks that another test running at the same time (JUnit's
 * parallel execution) leaves live are seen too. Run leak-checked tests in the same thread, or in
 * a class annotated {@code @Isolated}.
 */
public final class CustodyExtension implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CustodyExtension.class);
    private static final String BEFORE = "live-before";
    /** At most this many blocks are listed one by one; the rest are counted. */
    static final int LISTED = 50;

    /** Made by JUnit, for {@code @ExtendWith}; it keeps no state of its own. */
    public CustodyExtension() {
    }

    /**
     * Takes the snapshot of the blocks live in every heap, kept in the test's extension store.
     *
     * @param context the test's context, whose store holds the snapshot until {@link #afterEach}
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        Set<Block> before = Collections.newSetFromMap(new IdentityHashMap<>());
        before.addAll(Custody.liveBlocks());
        context.getStore(NAMESPACE).put(BEFORE, before);
    }

    /**
     * Compares the blocks live now with the snapshot, and fails the test if any are new. Does
     * nothing when {@link #beforeEach} did not run.
     *
     * @param context the test's context, holding the snapshot
     * @throws AssertionError listing the blocks allocated during the test and still live, not marked
     *     not a leak
     */
    @Override
    public void afterEach(ExtensionContext context) {
        @SuppressWarnings("unchecked")
        Set<Block> before = (Set<Block>) context.getStore(NAMESPACE).remove(BEFORE, Set.class);
        if (before == null) {
            return; // beforeEach did not run: JUnit reports why
        }
        List<Block> leaked = new ArrayList<>();
        for (Block b : Custody.liveBlocks()) {
            if (!before.contains(b) && !b.isMarkedNotALeak()) {
                leaked.add(b);
            }
        }
        if (!leaked.isEmpty()) {
            leaked.sort(java.util.Comparator.comparing((Block b) -> b.heap().name())
                    .thenComparing(Block::byteSize, java.util.Comparator.reverseOrder()));
            throw new AssertionError(report(context.getDisplayName(), leaked));
        }
    }

    static String report(String test, List<Block> leaked) {
        long bytes = leaked.stream().mapToLong(Block::byteSize).sum();
        StringBuilder sb = new StringBuilder("test ").append(test).append(" left ").append(leaked.size())
                .append(leaked.size() == 1 ? " native block" : " native blocks").append(" live, ").append(bytes).append(" B, allocated during the test and not freed:");
        boolean untracked = false;
        for (Block b : leaked.subList(0, Math.min(LISTED, leaked.size()))) {
            Site s = b.allocationSite();
            untracked |= s == null;
            sb.append("\n  ").append(b.byteSize()).append(" B tagged '").append(b.tag()).append("' on heap '")
                    .append(b.heap().name()).append("', ").append(s == null ? dev.custody.Leak.NOT_TRACKED : "allocated at " + s.caller());
        }
        if (leaked.size() > LISTED) {
            sb.append("\n  ... and ").append(leaked.size() - LISTED).append(" more");
        }
        if (untracked) {
            sb.append("\n(").append(dev.custody.Tracking.UNTRACKED_HINT).append(")");
        }
        return sb.toString();
    }
}

/**
 * A JUnit 5 extension that fails a test which leaves blocks of custody's heaps live: {@link
 * dev.custody.junit.CustodyExtension}, or its meta-annotation {@link
 * dev.custody.junit.CheckNativeLeaks} on a test class or method. The failure is an {@code
 * AssertionError} that lists each leaked block with its heap, tag, size and, when its heap tracks
 * sites, its allocation site; the blocks are left live. Blocks live before the test, blocks marked
 * not a leak and the chunks of pools and frames are left out.
 */
package dev.custody.junit;

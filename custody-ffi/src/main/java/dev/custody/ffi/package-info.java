/**
 * The FFI plugin host: see DESIGN.md, "FFI: the plugin ABI". A plugin exports a C ABI compatible
 * with rustbridge's ({@code src/main/c/custody_plugin_abi.h}); the callee allocates every
 * response and the host frees it through the plugin's own free function.
 *
 * <ul>
 *   <li>{@link dev.custody.ffi.NativePlugin}: load, call (JSON envelope), callRaw (binary, copied
 *       or read in place), state, close. Every response buffer is a block of the plugin's heap,
 *       adopted for the read with a releaser, and freed through {@code plugin_free_buffer} or
 *       {@code rb_response_free} on every path; malformed buffers are quarantined, never freed.</li>
 *   <li>{@code dev.custody.ffi.reference.ReferencePlugin}: the reference plugin in C that this
 *       module's build compiles with gcc, with its own counters as witnesses; a test fixture,
 *       exported only to custody's command line.</li>
 * </ul>
 *
 * <p>Costs measured with JMH ({@code custody-bench}, {@code FfiRoundTripBenchmark}) on the shared
 * 2-core machine with Temurin 25, 1 KiB round trips, medians: raw {@code plugin_call} downcall with
 * copy and free 230 ns, {@code call} 0.88 to 1.08 µs (the Jackson envelope parse is most of the
 * difference); raw {@code plugin_call_raw} with copy and free 140 to 160 ns, {@code callRaw} 240 to
 * 300 ns, {@code callRaw} read in place 210 ns. Later, with the calling thread holding the structs of
 * its buffers (no shared map) and the copy-out made without a per-block arena, in CPU time:
 * {@code callRaw} 204 ns against 156 ns raw (1.31x), in place 187 ns (1.20x), {@code call} 877 ns
 * against 226 ns (3.9x). Jackson's streaming parse of the 1 KiB envelope, measured alone in the same
 * JVM, costs 440 ns (150 ns with an empty payload; the rest is the scan of the 1 KiB string), which
 * is more than the whole raw round trip: {@code call} cannot come within 1.3x of a raw downcall
 * that does not parse. Since then the struct travels with its block, in the {@link
 * dev.custody.Releaser} it was adopted with (one small object per call instead of the thread's
 * stack of structs), so a buffer can be freed on any thread; not yet measured again. Adopting
 * through {@link dev.custody.Heaps#adopter}
 * instead of {@link dev.custody.Heap#adopt} saves a stack walk of about 1 to 2 µs per call.
 */
package dev.custody.ffi;

/**
 * A JMH benchmark of the FFI host: a 1 KiB round trip through the reference plugin, JSON and
 * binary, with custody's validation and custody of the response, against raw downcalls of the same
 * functions with the same copies.
 */
package dev.custody.bench.ffi;

/** The FFI plugin host: see DESIGN.md, "FFI: the plugin ABI". */
package dev.custody.ffi;

package dev.custody.ffi;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** The plugin ABI's layouts and function shapes (LP64), as in {@code src/main/c/custody_plugin_abi.h}. */
final class Abi {
    /** {@code FfiBuffer {uint8_t* data; size_t len; size_t capacity; uint32_t error_code;}}: 32 bytes. */
    static final StructLayout FFI_BUFFER = MemoryLayout.structLayout(
            ADDRESS.withName("data"), JAVA_LONG.withName("len"), JAVA_LONG.withName("capacity"),
            JAVA_INT.withName("error_code"), MemoryLayout.paddingLayout(4)).withName("FfiBuffer");
    /** {@code RbResponse {uint32_t error_code; uint32_t len; uint32_t capacity; void* data;}}: 24 bytes. */
    static final StructLayout RB_RESPONSE = MemoryLayout.structLayout(
            JAVA_INT.withName("error_code"), JAVA_INT.withName("len"), JAVA_INT.withName("capacity"),
            MemoryLayout.paddingLayout(4), ADDRESS.withName("data")).withName("RbResponse");

    static final long FB_DATA = FFI_BUFFER.byteOffset(groupElement("data"));
    static final long FB_LEN = FFI_BUFFER.byteOffset(groupElement("len"));
    static final long FB_CAPACITY = FFI_BUFFER.byteOffset(groupElement("capacity"));
    static final long FB_ERROR_CODE = FFI_BUFFER.byteOffset(groupElement("error_code"));
    static final long RB_ERROR_CODE = RB_RESPONSE.byteOffset(groupElement("error_code"));
    static final long RB_LEN = RB_RESPONSE.byteOffset(groupElement("len"));
    static final long RB_CAPACITY = RB_RESPONSE.byteOffset(groupElement("capacity"));
    static final long RB_DATA = RB_RESPONSE.byteOffset(groupElement("data"));

    static final FunctionDescriptor CREATE = FunctionDescriptor.of(ADDRESS);
    /** {@code void* plugin_init(void*, const uint8_t*, size_t, LogCallback)} */
    static final FunctionDescriptor INIT = FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
    /** {@code FfiBuffer plugin_call(void*, const char*, const uint8_t*, size_t)} */
    static final FunctionDescriptor CALL = FunctionDescriptor.of(FFI_BUFFER, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
    /** {@code RbResponse plugin_call_raw(void*, uint32_t, const void*, size_t)} */
    static final FunctionDescriptor CALL_RAW = FunctionDescriptor.of(RB_RESPONSE, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG);
    /** {@code void plugin_free_buffer(FfiBuffer*)} and {@code void rb_response_free(RbResponse*)} */
    static final FunctionDescriptor FREE = FunctionDescriptor.ofVoid(ADDRESS);
    static final FunctionDescriptor SHUTDOWN = FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS);
    static final FunctionDescriptor GET_STATE = FunctionDescriptor.of(JAVA_BYTE, ADDRESS);
    static final FunctionDescriptor SET_LOG_LEVEL = FunctionDescriptor.ofVoid(ADDRESS, JAVA_BYTE);
    /** {@code void (*LogCallback)(uint8_t level, const char* target, const uint8_t* msg, size_t len)} */
    static final FunctionDescriptor LOG_CALLBACK = FunctionDescriptor.ofVoid(JAVA_BYTE, ADDRESS, ADDRESS, JAVA_LONG);

    private Abi() {
    }
}

/*
 * The plugin C ABI, compatible with rustbridge's (see DESIGN.md, "FFI: the plugin ABI").
 * LP64 layouts; the Java host's layouts are checked against this header by a test.
 */
#ifndef CUSTODY_PLUGIN_ABI_H
#define CUSTODY_PLUGIN_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A JSON response: the callee allocates, the host frees it with plugin_free_buffer. 32 bytes. */
typedef struct {
    uint8_t* data;
    size_t len;
    size_t capacity;
    uint32_t error_code;
} FfiBuffer;

/* A binary response: the host frees it with rb_response_free. 24 bytes. */
typedef struct {
    uint32_t error_code;
    uint32_t len;
    uint32_t capacity;
    void* data;
} RbResponse;

/* May be called from any thread. */
typedef void (*LogCallback)(uint8_t level, const char* target, const uint8_t* msg, size_t len);

enum {
    PLUGIN_STATE_INSTALLED = 0, PLUGIN_STATE_STARTING = 1, PLUGIN_STATE_ACTIVE = 2,
    PLUGIN_STATE_STOPPING = 3, PLUGIN_STATE_STOPPED = 4, PLUGIN_STATE_FAILED = 5, PLUGIN_STATE_INVALID = 255
};

enum {
    LOG_TRACE = 0, LOG_DEBUG = 1, LOG_INFO = 2, LOG_WARN = 3, LOG_ERROR = 4, LOG_OFF = 5
};

void*      plugin_create(void);
void*      plugin_init(void* plugin, const uint8_t* config_json, size_t config_len, LogCallback cb);
FfiBuffer  plugin_call(void* handle, const char* type_tag, const uint8_t* request, size_t len);
void       plugin_free_buffer(FfiBuffer* buffer);
RbResponse plugin_call_raw(void* handle, uint32_t message_id, const void* request, size_t size);
void       rb_response_free(RbResponse* response);
bool       plugin_shutdown(void* handle);
uint8_t    plugin_get_state(void* handle);
void       plugin_set_log_level(void* handle, uint8_t level);

#endif

/*
 * The reference plugin: implements the whole plugin ABI (custody_plugin_abi.h) so that the Java
 * host can be tested against real native code.
 *
 * JSON handlers (plugin_call): echo, reverse, sleep (logs from its own pthread), fail (returns the
 * requested error code), panic (a plain string, as rustbridge's panic guard returns), big (a
 * payload of the requested size), late_log (returns at once; a detached thread logs after the
 * requested ms, possibly after shutdown, as rustbridge's process-wide callback may), empty (a
 * buffer of capacity 0 with non-NULL data, as malloc(0) gives, and the requested error code),
 * verbatim (the request bytes as the whole response, not wrapped in an envelope). Binary handlers
 * (plugin_call_raw): message 1 echoes the request bytes, message 2 fails with the code in the
 * request's first uint32, message 3 returns a response of capacity 0 with non-NULL data and the
 * error code in the request's first uint32 (0 without one).
 *
 * Config JSON keys: "fail_init": true makes plugin_init return NULL; "malformed": one of
 * "len_over_capacity", "null_data", "absurd_len" makes every response malformed (to test the
 * host's validation); "log_level": 0..5.
 *
 * Independent witnesses, outside the ABI: plugin_live_buffers() (buffers handed out and not yet
 * freed), plugin_live_objects() (objects made by plugin_create and not shut down, so orphans of a
 * failed plugin_init stay counted), plugin_bad_frees() (frees of something this plugin did not
 * hand out, or with a changed capacity), and plugin_abi_layout() (sizes and offsets of the ABI
 * structs as this compiler lays them out from the header).
 */
#define _GNU_SOURCE
#include "custody_plugin_abi.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXPORT __attribute__((visibility("default")))
#define MAX_PLUGINS 1024
#define LIVE_MAGIC 0x43555354424c4b31ULL /* "CUSTBLK1" */
#define DEAD_MAGIC 0x4445414442554631ULL
#define TARGET "custody_refplugin"

enum { MALFORMED_NONE, MALFORMED_LEN_OVER_CAPACITY, MALFORMED_NULL_DATA, MALFORMED_ABSURD_LEN };
enum { MSG_ECHO = 1, MSG_FAIL = 2, MSG_EMPTY = 3 };

typedef struct {
    _Atomic uint8_t state;
    _Atomic uint8_t level;
    int malformed;
} Plugin;

/* Every buffer carries a header before its data, so that a free can be checked. 16 bytes keep
 * the data 16-aligned. */
typedef struct {
    uint64_t magic;
    uint64_t capacity;
} Header;

static _Atomic(Plugin*) g_slots[MAX_PLUGINS];
static pthread_mutex_t g_slots_lock = PTHREAD_MUTEX_INITIALIZER;
/* Process-wide, as rustbridge's log callback is. */
static _Atomic(LogCallback) g_log;
static atomic_long g_live_buffers;
static atomic_long g_live_objects;
static atomic_long g_bad_frees;

/* ---- witnesses ------------------------------------------------------------------------------ */

EXPORT long plugin_live_buffers(void) { return atomic_load(&g_live_buffers); }
EXPORT long plugin_live_objects(void) { return atomic_load(&g_live_objects); }
EXPORT long plugin_bad_frees(void) { return atomic_load(&g_bad_frees); }

/* Writes {sizeof, offsetof data, len, capacity, error_code} of FfiBuffer, then {sizeof, offsetof
 * error_code, len, capacity, data} of RbResponse: ten values. */
EXPORT void plugin_abi_layout(uint64_t* out) {
    out[0] = sizeof(FfiBuffer);
    out[1] = offsetof(FfiBuffer, data);
    out[2] = offsetof(FfiBuffer, len);
    out[3] = offsetof(FfiBuffer, capacity);
    out[4] = offsetof(FfiBuffer, error_code);
    out[5] = sizeof(RbResponse);
    out[6] = offsetof(RbResponse, error_code);
    out[7] = offsetof(RbResponse, len);
    out[8] = offsetof(RbResponse, capacity);
    out[9] = offsetof(RbResponse, data);
}

/* ---- buffers -------------------------------------------------------------------------------- */

static uint8_t* buf_alloc(size_t capacity) {
    Header* h = malloc(sizeof(Header) + capacity);
    if (h == NULL) {
        return NULL;
    }
    h->magic = LIVE_MAGIC;
    h->capacity = capacity;
    atomic_fetch_add(&g_live_buffers, 1);
    return (uint8_t*) (h + 1);
}

static void buf_release(void* data, size_t capacity) {
    Header* h = ((Header*) data) - 1;
    if (h->magic != LIVE_MAGIC || h->capacity != capacity) {
        atomic_fetch_add(&g_bad_frees, 1); /* not ours, already freed, or tampered with: leave it */
        return;
    }
    h->magic = DEAD_MAGIC;
    free(h);
    atomic_fetch_sub(&g_live_buffers, 1);
}

/* Capacity rounded up past len, as a growing vector's would be, so len and capacity differ. Only the
 * empty handlers return capacity 0. */
static size_t capacity_for(size_t len) { return (len + 16) & ~(size_t) 15; }

static FfiBuffer ffi_from(const char* a, size_t alen, const char* b, size_t blen, const char* c, size_t clen,
                          uint32_t code) {
    size_t len = alen + blen + clen;
    FfiBuffer out = {0};
    uint8_t* d = buf_alloc(capacity_for(len));
    if (d == NULL) {
        return out; /* empty: the host sees no payload */
    }
    memcpy(d, a, alen);
    if (blen) memcpy(d + alen, b, blen);
    if (clen) memcpy(d + alen + blen, c, clen);
    out.data = d;
    out.len = len;
    out.capacity = capacity_for(len);
    out.error_code = code;
    return out;
}

static FfiBuffer success(const char* payload, size_t len) {
    static const char prefix[] = "{\"status\":\"success\",\"payload\":";
    return ffi_from(prefix, sizeof prefix - 1, payload, len, "}", 1, 0);
}

static FfiBuffer error_envelope(uint32_t code, const char* fmt, ...) {
    char msg[256];
    char env[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int n = snprintf(env, sizeof env, "{\"status\":\"error\",\"error_code\":%u,\"error_message\":\"%s\"}", code, msg);
    return ffi_from(env, (size_t) n, NULL, 0, NULL, 0, code);
}

/* A bare message with an error code: rustbridge's FfiBuffer::error, used by its panic guard. */
static FfiBuffer plain_error(uint32_t code, const char* msg) {
    return ffi_from(msg, strlen(msg), NULL, 0, NULL, 0, code);
}

EXPORT void plugin_free_buffer(FfiBuffer* buffer) {
    if (buffer == NULL) {
        return;
    }
    if (buffer->data != NULL) { /* capacity 0 too: like free() on what malloc(0) returned */
        buf_release(buffer->data, buffer->capacity);
    }
    buffer->data = NULL;
    buffer->len = 0;
    buffer->capacity = 0;
}

static RbResponse rb_from(uint32_t code, const void* bytes, uint32_t len) {
    RbResponse out = {0};
    uint8_t* d = buf_alloc(capacity_for(len));
    if (d == NULL) {
        out.error_code = 11;
        return out;
    }
    memcpy(d, bytes, len);
    out.error_code = code;
    out.len = len;
    out.capacity = (uint32_t) capacity_for(len);
    out.data = d;
    return out;
}

/* An error response's data is a NUL-terminated message; len counts the NUL, as rustbridge's does. */
static RbResponse rb_error(uint32_t code, const char* msg) {
    return rb_from(code, msg, (uint32_t) strlen(msg) + 1);
}

EXPORT void rb_response_free(RbResponse* response) {
    if (response == NULL) {
        return;
    }
    if (response->data != NULL) {
        buf_release(response->data, response->capacity);
    }
    response->data = NULL;
    response->len = 0;
    response->capacity = 0;
}

/* ---- logging -------------------------------------------------------------------------------- */

static void log_msg(Plugin* p, uint8_t level, const char* fmt, ...) {
    LogCallback cb = atomic_load(&g_log);
    if (cb == NULL || level >= LOG_OFF || (p != NULL && level < atomic_load(&p->level))) {
        return;
    }
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cb(level, TARGET, (const uint8_t*) msg, n < (int) sizeof msg ? (size_t) n : sizeof msg - 1);
}

/* ---- life cycle ----------------------------------------------------------------------------- */

static Plugin* lookup(void* handle) {
    uintptr_t id = (uintptr_t) handle;
    if (id == 0 || id > MAX_PLUGINS) {
        return NULL;
    }
    return atomic_load(&g_slots[id - 1]);
}

EXPORT void* plugin_create(void) {
    Plugin* p = calloc(1, sizeof(Plugin));
    if (p != NULL) {
        atomic_store(&p->state, PLUGIN_STATE_INSTALLED);
        atomic_store(&p->level, LOG_INFO);
        atomic_fetch_add(&g_live_objects, 1);
    }
    return p;
}

/* The value of "key": in a small flat config object; NULL if absent. Good enough for the
 * reference plugin's own config; the host never parses JSON this way. */
static const char* config_value(const char* cfg, const char* key) {
    const char* k = strstr(cfg, key);
    if (k == NULL) {
        return NULL;
    }
    k += strlen(key);
    while (*k == ' ' || *k == ':') {
        k++;
    }
    return k;
}

EXPORT void* plugin_init(void* plugin, const uint8_t* config_json, size_t config_len, LogCallback cb) {
    Plugin* p = plugin;
    if (p == NULL) {
        return NULL;
    }
    atomic_store(&p->state, PLUGIN_STATE_STARTING);
    if (cb != NULL) {
        atomic_store(&g_log, cb);
    }
    char cfg[1024] = {0};
    if (config_json != NULL) {
        memcpy(cfg, config_json, config_len < sizeof cfg - 1 ? config_len : sizeof cfg - 1);
    }
    const char* v;
    if ((v = config_value(cfg, "\"log_level\"")) != NULL) {
        atomic_store(&p->level, (uint8_t) atoi(v));
    }
    if ((v = config_value(cfg, "\"malformed\"")) != NULL) {
        p->malformed = strncmp(v, "\"len_over_capacity\"", 19) == 0 ? MALFORMED_LEN_OVER_CAPACITY
                : strncmp(v, "\"null_data\"", 11) == 0 ? MALFORMED_NULL_DATA
                : strncmp(v, "\"absurd_len\"", 12) == 0 ? MALFORMED_ABSURD_LEN : MALFORMED_NONE;
    }
    if ((v = config_value(cfg, "\"fail_init\"")) != NULL && strncmp(v, "true", 4) == 0) {
        atomic_store(&p->state, PLUGIN_STATE_FAILED);
        log_msg(p, LOG_ERROR, "plugin_init failed: the config asked for it (fail_init)");
        return NULL; /* the object is orphaned: the ABI has no destroy */
    }
    pthread_mutex_lock(&g_slots_lock);
    uintptr_t id = 0;
    for (int i = 0; i < MAX_PLUGINS; i++) {
        if (atomic_load(&g_slots[i]) == NULL) {
            atomic_store(&g_slots[i], p);
            id = (uintptr_t) i + 1;
            break;
        }
    }
    pthread_mutex_unlock(&g_slots_lock);
    if (id == 0) {
        atomic_store(&p->state, PLUGIN_STATE_FAILED);
        return NULL;
    }
    atomic_store(&p->state, PLUGIN_STATE_ACTIVE);
    log_msg(p, LOG_INFO, "plugin %lu active", (unsigned long) id);
    return (void*) id;
}

EXPORT bool plugin_shutdown(void* handle) {
    uintptr_t id = (uintptr_t) handle;
    pthread_mutex_lock(&g_slots_lock);
    Plugin* p = lookup(handle);
    if (p != NULL) {
        atomic_store(&g_slots[id - 1], NULL);
    }
    pthread_mutex_unlock(&g_slots_lock);
    if (p == NULL) {
        return false;
    }
    atomic_store(&p->state, PLUGIN_STATE_STOPPING);
    log_msg(p, LOG_INFO, "plugin %lu shutting down", (unsigned long) id);
    atomic_store(&p->state, PLUGIN_STATE_STOPPED);
    free(p);
    atomic_fetch_sub(&g_live_objects, 1);
    return true;
}

EXPORT uint8_t plugin_get_state(void* handle) {
    Plugin* p = lookup(handle);
    return p == NULL ? PLUGIN_STATE_INVALID : atomic_load(&p->state);
}

EXPORT void plugin_set_log_level(void* handle, uint8_t level) {
    Plugin* p = lookup(handle);
    if (p != NULL) {
        atomic_store(&p->level, level);
    }
}

/* ---- JSON handlers -------------------------------------------------------------------------- */

typedef struct {
    Plugin* plugin;
    long ms;
} SleepJob;

static void* sleep_worker(void* arg) {
    SleepJob* job = arg;
    log_msg(job->plugin, LOG_INFO, "sleep: worker thread sleeping %ld ms", job->ms);
    struct timespec ts = {job->ms / 1000, (job->ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    log_msg(job->plugin, LOG_DEBUG, "sleep: worker thread woke");
    return NULL;
}

static void* late_log_worker(void* arg) {
    long ms = (long) (intptr_t) arg;
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    log_msg(NULL, LOG_WARN, "late log record, %ld ms after its call returned", ms);
    return NULL;
}

/* A JSON number request, such as 42; -1 if it is not one. */
static long number_request(const uint8_t* req, size_t len) {
    char tmp[32];
    if (req == NULL || len == 0 || len >= sizeof tmp) {
        return -1;
    }
    memcpy(tmp, req, len);
    tmp[len] = 0;
    char* end;
    long v = strtol(tmp, &end, 10);
    return end == tmp || *end != 0 || v < 0 ? -1 : v;
}

static FfiBuffer handle_reverse(const uint8_t* req, size_t len) {
    if (len < 2 || req[0] != '"' || req[len - 1] != '"' || memchr(req, '\\', len) != NULL) {
        return error_envelope(5, "reverse expects a JSON string without escapes");
    }
    char* tmp = malloc(len);
    if (tmp == NULL) {
        return error_envelope(8, "out of memory");
    }
    tmp[0] = '"';
    tmp[len - 1] = '"';
    for (size_t i = 1; i < len - 1; i++) {
        tmp[i] = (char) req[len - 1 - i];
    }
    FfiBuffer out = success(tmp, len);
    free(tmp);
    return out;
}

static FfiBuffer handle_sleep(Plugin* p, const uint8_t* req, size_t len) {
    long ms = number_request(req, len);
    if (ms < 0 || ms > 60000) {
        return error_envelope(5, "sleep expects a number of milliseconds, 0..60000");
    }
    SleepJob job = {p, ms};
    pthread_t t;
    if (pthread_create(&t, NULL, sleep_worker, &job) != 0) {
        return error_envelope(8, "sleep: cannot start a thread");
    }
    pthread_join(t, NULL);
    return success((const char*) req, len);
}

static FfiBuffer handle_late_log(const uint8_t* req, size_t len) {
    long ms = number_request(req, len);
    pthread_t t;
    if (ms < 0 || ms > 60000) {
        return error_envelope(5, "late_log expects a number of milliseconds, 0..60000");
    }
    if (pthread_create(&t, NULL, late_log_worker, (void*) (intptr_t) ms) != 0) {
        return error_envelope(8, "late_log: cannot start a thread");
    }
    pthread_detach(t);
    return success((const char*) req, len);
}

static FfiBuffer handle_fail(const uint8_t* req, size_t len) {
    long code = number_request(req, len);
    if (code < 1 || code > 13) {
        return error_envelope(7, "fail expects an error code 1..13");
    }
    return error_envelope((uint32_t) code, "requested failure with code %ld", code);
}

static FfiBuffer handle_big(const uint8_t* req, size_t len) {
    long n = number_request(req, len);
    if (n < 0 || n > (1L << 30)) {
        return error_envelope(5, "big expects a size 0..1073741824");
    }
    char* tmp = malloc((size_t) n + 2);
    if (tmp == NULL) {
        return error_envelope(8, "big: out of memory");
    }
    tmp[0] = '"';
    memset(tmp + 1, 'x', (size_t) n);
    tmp[n + 1] = '"';
    FfiBuffer out = success(tmp, (size_t) n + 2);
    free(tmp);
    return out;
}

/* A zero-capacity buffer with non-NULL data: sound, and it must still reach plugin_free_buffer. */
static FfiBuffer handle_empty(const uint8_t* req, size_t len) {
    long code = number_request(req, len);
    if (code < 0 || code > 13) {
        return error_envelope(5, "empty expects an error code 0..13");
    }
    FfiBuffer out = {0};
    out.data = buf_alloc(0);
    out.error_code = (uint32_t) code;
    return out;
}

static FfiBuffer malformed_ffi(Plugin* p, FfiBuffer b) {
    switch (p->malformed) {
        case MALFORMED_LEN_OVER_CAPACITY:
            b.len = b.capacity + 1; /* the memory stays live: a correct host never frees this */
            break;
        case MALFORMED_NULL_DATA:
            plugin_free_buffer(&b);
            b.len = 5;
            b.capacity = 5;
            break;
        case MALFORMED_ABSURD_LEN:
            b.len = b.capacity = (size_t) 1 << 40;
            break;
    }
    return b;
}

EXPORT FfiBuffer plugin_call(void* handle, const char* type_tag, const uint8_t* request, size_t len) {
    Plugin* p = lookup(handle);
    if (p == NULL) {
        return plain_error(1, "Invalid handle");
    }
    if (atomic_load(&p->state) != PLUGIN_STATE_ACTIVE) {
        return error_envelope(1, "plugin is not active");
    }
    if (type_tag == NULL || (request == NULL && len > 0)) {
        return error_envelope(12, "NULL type tag or request");
    }
    FfiBuffer out;
    if (strcmp(type_tag, "echo") == 0) {
        out = len == 0 ? error_envelope(5, "echo expects a JSON value") : success((const char*) request, len);
    } else if (strcmp(type_tag, "reverse") == 0) {
        out = handle_reverse(request, len);
    } else if (strcmp(type_tag, "sleep") == 0) {
        out = handle_sleep(p, request, len);
    } else if (strcmp(type_tag, "fail") == 0) {
        out = handle_fail(request, len);
    } else if (strcmp(type_tag, "panic") == 0) {
        out = plain_error(11, "panic in handler 'panic': the request asked for it");
    } else if (strcmp(type_tag, "big") == 0) {
        out = handle_big(request, len);
    } else if (strcmp(type_tag, "late_log") == 0) {
        out = handle_late_log(request, len);
    } else if (strcmp(type_tag, "empty") == 0) {
        out = handle_empty(request, len);
    } else if (strcmp(type_tag, "verbatim") == 0) {
        out = ffi_from(len > 0 ? (const char*) request : "", len, NULL, 0, NULL, 0, 0);
    } else {
        out = error_envelope(6, "unknown message type");
    }
    return p->malformed == MALFORMED_NONE ? out : malformed_ffi(p, out);
}

/* ---- binary handlers ------------------------------------------------------------------------ */

static RbResponse malformed_rb(Plugin* p, RbResponse r) {
    switch (p->malformed) {
        case MALFORMED_LEN_OVER_CAPACITY:
            r.len = r.capacity + 1;
            break;
        case MALFORMED_NULL_DATA:
            rb_response_free(&r);
            r.len = 8;
            r.capacity = 8;
            break;
        case MALFORMED_ABSURD_LEN:
            r.len = r.capacity = 0xFFFFFFF0u;
            break;
    }
    return r;
}

EXPORT RbResponse plugin_call_raw(void* handle, uint32_t message_id, const void* request, size_t size) {
    Plugin* p = lookup(handle);
    if (p == NULL) {
        return rb_error(1, "Invalid handle");
    }
    if (atomic_load(&p->state) != PLUGIN_STATE_ACTIVE) {
        return rb_error(1, "plugin is not active");
    }
    if ((request == NULL && size > 0) || size > UINT32_MAX) {
        return rb_error(12, "bad request pointer or size");
    }
    RbResponse out;
    switch (message_id) {
        case MSG_ECHO:
            out = rb_from(0, request, (uint32_t) size);
            break;
        case MSG_FAIL: {
            uint32_t code = 0;
            if (size >= 4) {
                memcpy(&code, request, 4);
            }
            char msg[96];
            snprintf(msg, sizeof msg, "requested failure with code %u", code);
            out = code >= 1 && code <= 13 ? rb_error(code, msg) : rb_error(7, "message 2 expects an error code 1..13");
            break;
        }
        case MSG_EMPTY: {
            uint32_t code = 0;
            if (size >= 4) {
                memcpy(&code, request, 4);
            }
            out = (RbResponse){.error_code = code, .data = buf_alloc(0)};
            break;
        }
        default: {
            char msg[64];
            snprintf(msg, sizeof msg, "unknown message id %u", message_id);
            out = rb_error(6, msg);
        }
    }
    return p->malformed == MALFORMED_NONE ? out : malformed_rb(p, out);
}

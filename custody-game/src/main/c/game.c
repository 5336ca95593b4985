#include "game.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* 16 bytes, so the block after it keeps malloc's 16-byte alignment. */
typedef struct {
    uint32_t magic;
    int32_t mem_id;
    uint64_t size;
} header_t;

#define LIVE_MAGIC 0xC0FFEE29u
#define FREED_MAGIC 0xDEADF8EEu

static pthread_mutex_t heap_lock = PTHREAD_MUTEX_INITIALIZER;
static size_t bytes_in_use[GAME_MEMORY_IDS];
static size_t blocks_in_use[GAME_MEMORY_IDS];

typedef struct {
    void *data;
    size_t size;
    int refcount;   /* the table's reference (in_table) plus one per playback */
    int in_table;   /* 1 from inject until remove */
} path_t;

/* Lock order: table_lock, then heap_lock (game_free runs under the table lock). */
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static path_t paths[GAME_PATH_SLOTS];
static int live_paths;

static void crash(const char *what, const void *memory, uint32_t magic) {
    fprintf(stderr, "game: CMemoryMgr::Free(%p): %s (header magic 0x%08x); the game aborts\n", memory, what, magic);
    fflush(stderr);
    abort();
}

void *game_malloc(size_t size, int mem_id) {
    if (mem_id < 0 || mem_id >= GAME_MEMORY_IDS || size > SIZE_MAX - sizeof(header_t)) {
        return NULL;
    }
    header_t *h = malloc(sizeof(header_t) + size);
    if (h == NULL) {
        return NULL;
    }
    h->magic = LIVE_MAGIC;
    h->mem_id = mem_id;
    h->size = size;
    pthread_mutex_lock(&heap_lock);
    bytes_in_use[mem_id] += size;
    blocks_in_use[mem_id]++;
    pthread_mutex_unlock(&heap_lock);
    return h + 1;
}

void game_free(void *memory) {
    if (memory == NULL) {
        return;
    }
    header_t *h = (header_t *) memory - 1;
    pthread_mutex_lock(&heap_lock);
    uint32_t magic = h->magic;
    if (magic != LIVE_MAGIC) {
        pthread_mutex_unlock(&heap_lock);
        crash(magic == FREED_MAGIC ? "double free of a game block" : "not a block of the game's heap",
              memory, magic);
    }
    h->magic = FREED_MAGIC;
    bytes_in_use[h->mem_id] -= h->size;
    blocks_in_use[h->mem_id]--;
    pthread_mutex_unlock(&heap_lock);
    free(h);
}

static size_t read_counter(const size_t *counters, int mem_id) {
    if (mem_id < 0 || mem_id >= GAME_MEMORY_IDS) {
        return 0;
    }
    pthread_mutex_lock(&heap_lock);
    size_t v = counters[mem_id];
    pthread_mutex_unlock(&heap_lock);
    return v;
}

size_t game_bytes_in_use(int mem_id) {
    return read_counter(bytes_in_use, mem_id);
}

size_t game_blocks_in_use(int mem_id) {
    return read_counter(blocks_in_use, mem_id);
}

/* CPath::RemoveRef, under the table lock: at zero the game frees the data with its own heap. */
static int remove_ref(path_t *p) {
    int count = --p->refcount;
    if (count == 0) {
        game_free(p->data);
        p->data = NULL;
        p->size = 0;
        live_paths--;
    }
    return count;
}

int game_inject_path(int slot, void *data, size_t size) {
    if (slot < 0 || slot >= GAME_PATH_SLOTS) {
        return GAME_E_SLOT;
    }
    if (data == NULL) {
        return GAME_E_NULL;
    }
    pthread_mutex_lock(&table_lock);
    path_t *p = &paths[slot];
    if (p->data != NULL) {
        pthread_mutex_unlock(&table_lock);
        return GAME_E_BUSY;
    }
    p->data = data;
    p->size = size;
    p->refcount = 1;
    p->in_table = 1;
    live_paths++;
    pthread_mutex_unlock(&table_lock);
    return GAME_OK;
}

typedef int (*path_op)(path_t *p, uint64_t *out);

/* Runs op on the slot's path under the table lock. */
static int on_path(int slot, path_op op, uint64_t *out) {
    if (slot < 0 || slot >= GAME_PATH_SLOTS) {
        return GAME_E_SLOT;
    }
    pthread_mutex_lock(&table_lock);
    path_t *p = &paths[slot];
    int r = p->data == NULL ? GAME_E_NO_PATH : op(p, out);
    pthread_mutex_unlock(&table_lock);
    return r;
}

static int add_playback(path_t *p, uint64_t *out) {
    (void) out;
    return p->in_table ? ++p->refcount : GAME_E_REMOVED;
}

static int end_playback(path_t *p, uint64_t *out) {
    (void) out;
    return p->refcount > p->in_table ? remove_ref(p) : GAME_E_NOT_PLAYING;
}

static int drop_from_table(path_t *p, uint64_t *out) {
    (void) out;
    if (!p->in_table) {
        return GAME_E_REMOVED;
    }
    p->in_table = 0;
    return remove_ref(p);
}

static int read_refcount(path_t *p, uint64_t *out) {
    (void) out;
    return p->refcount;
}

static int fnv1a(path_t *p, uint64_t *out) {
    uint64_t h = 0xcbf29ce484222325ull;
    const unsigned char *b = p->data;
    for (size_t i = 0; i < p->size; i++) {
        h = (h ^ b[i]) * 0x100000001b3ull;
    }
    *out = h;
    return GAME_OK;
}

int game_start_playback(int slot) {
    return on_path(slot, add_playback, NULL);
}

int game_stop_playback(int slot) {
    return on_path(slot, end_playback, NULL);
}

int game_remove_path(int slot) {
    return on_path(slot, drop_from_table, NULL);
}

int game_path_refcount(int slot) {
    return on_path(slot, read_refcount, NULL);
}

int game_path_checksum(int slot, uint64_t *out) {
    return on_path(slot, fnv1a, out);
}

int game_live_paths(void) {
    pthread_mutex_lock(&table_lock);
    int n = live_paths;
    pthread_mutex_unlock(&table_lock);
    return n;
}

/*
 * A small "game" with its own memory manager and a table of car-recording paths: the seed's
 * GTA SA CMemoryMgr and CPath / CVehicleRecording streaming array, made real.
 *
 * The allocator puts a header before each block (magic, memory id, size) on top of libc malloc,
 * and keeps live bytes and blocks per memory id. game_free of a pointer that game_malloc did not
 * return (or already freed) fails the magic check, and the game prints a message and aborts, as
 * the real game crashes when it frees a mod's memory with its own heap.
 *
 * The path table holds, per slot, data that the game owns and frees with game_free when the
 * slot's reference count reaches zero: the table's own reference (from inject to remove) plus one
 * per playback. All functions are thread-safe.
 */
#ifndef CUSTODY_GAME_H
#define CUSTODY_GAME_H

#include <stddef.h>
#include <stdint.h>

#define GAME_MEMORY_IDS 33  /* eMemoryId has 33 categories */
#define GAME_MEM_PATHS 29   /* MEM_PATHS: car recording paths */
#define GAME_PATH_SLOTS 1024

/* Results of the path-table functions: >= 0 is success. */
#define GAME_OK 0
#define GAME_E_SLOT (-1)        /* slot out of range */
#define GAME_E_BUSY (-2)        /* slot already holds a path */
#define GAME_E_NO_PATH (-3)     /* no path in that slot */
#define GAME_E_NOT_PLAYING (-4) /* stop without a playback */
#define GAME_E_NULL (-5)        /* NULL data */
#define GAME_E_REMOVED (-6)     /* the path was removed: no new playback, no second remove */

/* CMemoryMgr::Malloc(size, hint). NULL if the memory id is out of range or memory is exhausted. */
void *game_malloc(size_t size, int mem_id);
/* CMemoryMgr::Free. NULL is ignored; a pointer game_malloc did not return aborts the game. */
void game_free(void *memory);

size_t game_bytes_in_use(int mem_id);  /* 0 for an id out of range */
size_t game_blocks_in_use(int mem_id);

/* Takes custody of data (a game_malloc block) with a reference count of one: the table's. */
int game_inject_path(int slot, void *data, size_t size);
/* AddRef for a playback; returns the new count. */
int game_start_playback(int slot);
/* RemoveRef for a playback; frees the data at zero. Returns the new count (0: freed). */
int game_stop_playback(int slot);
/* Drops the table's reference; frees the data at zero. Returns the new count (0: freed). */
int game_remove_path(int slot);
/* The slot's reference count, or GAME_E_NO_PATH / GAME_E_SLOT. */
int game_path_refcount(int slot);
/* FNV-1a (64 bit) of the slot's data, as the game reads it, into *out. GAME_OK or an error. */
int game_path_checksum(int slot, uint64_t *out);
/* Paths whose data the game still holds. */
int game_live_paths(void);

#endif

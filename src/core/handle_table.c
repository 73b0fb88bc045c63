/* portway — process-wide handle table (see handle_table.h for the layout). */
#include "core/handle_table.h"

#include <stdatomic.h>
#include <stdlib.h>

#include "platform/platform.h"

#define CHUNK_SLOTS 256u
#define CHUNK_COUNT (PW_HANDLE_MAX_SLOTS / CHUNK_SLOTS)
#define HANDLE_MAGIC 0xA5u
#define NO_SLOT UINT32_MAX

typedef struct pw_slot {
  pw_mutex lock;
  uint64_t value; /* the handle issued for this slot; 0 while free */
  pw_ref *obj;
  const void *owner;
  pw_handle_close_fn close;
  uint32_t next_free; /* free-list link, guarded by g_table_lock */
} pw_slot;

/* Chunks are published with release stores and read with acquire loads, so a
 * lookup never needs the table lock. They are freed only by cleanup, when no
 * handle is live (no legitimate lookup can run then). */
static _Atomic(pw_slot *) g_chunks[CHUNK_COUNT];
static pw_mutex g_table_lock = PW_MUTEX_INIT;
static uint32_t g_free_head = NO_SLOT; /* guarded by g_table_lock */
static uint32_t g_slots_used;          /* slots ever handed out (guarded) */
static atomic_size_t g_live;           /* changed under g_table_lock */
static atomic_uint g_serial;
/* Lookups in progress, and a cleanup in progress: a lookup announces itself
 * before it reads a chunk pointer and backs off if a cleanup is running; a
 * cleanup announces itself before it checks for lookups. Both are seq_cst,
 * so one of the two always sees the other (the chunks are never freed under
 * a running lookup). */
static atomic_uint g_lookups;
static atomic_int g_cleaning;

static int lookup_enter(void) {
  for (;;) {
    atomic_fetch_add(&g_lookups, 1u);
    if (!atomic_load(&g_cleaning))
      return 1;
    atomic_fetch_sub(&g_lookups, 1u);
    /* A cleanup holds the table lock while g_cleaning is set: wait for it
     * (it is short and never waits for us), then look again. */
    pw_mutex_lock(&g_table_lock);
    pw_mutex_unlock(&g_table_lock);
  }
}

static void lookup_leave(void) {
  atomic_fetch_sub(&g_lookups, 1u);
}

static uint64_t handle_make(uint32_t serial, pw_handle_kind kind,
                            uint32_t index) {
  return ((uint64_t)HANDLE_MAGIC << 56) | ((uint64_t)serial << 24) |
         ((uint64_t)kind << 16) | (uint64_t)index;
}

static uint32_t next_serial(void) {
  unsigned s;
  do {
    s = atomic_fetch_add_explicit(&g_serial, 1u, memory_order_relaxed) + 1u;
  } while (s == 0u);
  return (uint32_t)s;
}

/* The slot a handle names, or NULL if it cannot name one. */
static pw_slot *slot_for(pw_handle h, pw_handle_kind kind) {
  if ((h >> 56) != HANDLE_MAGIC || ((h >> 16) & 0xFFu) != (uint64_t)kind)
    return NULL;
  uint32_t index = (uint32_t)(h & 0xFFFFu);
  pw_slot *chunk = atomic_load_explicit(&g_chunks[index / CHUNK_SLOTS],
                                        memory_order_acquire);
  return chunk ? &chunk[index % CHUNK_SLOTS] : NULL;
}

/* Take a free slot index (table lock held). */
static int slot_take(uint32_t *index) {
  if (g_free_head != NO_SLOT) {
    pw_slot *chunk = atomic_load_explicit(&g_chunks[g_free_head / CHUNK_SLOTS],
                                          memory_order_relaxed);
    *index = g_free_head;
    g_free_head = chunk[g_free_head % CHUNK_SLOTS].next_free;
    return PW_OK;
  }
  if (g_slots_used >= PW_HANDLE_MAX_SLOTS)
    return PW_EBUSY;
  uint32_t c = g_slots_used / CHUNK_SLOTS;
  if (!atomic_load_explicit(&g_chunks[c], memory_order_relaxed)) {
    pw_slot *chunk = calloc(CHUNK_SLOTS, sizeof *chunk);
    if (!chunk)
      return PW_ENOMEM;
    for (uint32_t i = 0; i < CHUNK_SLOTS; i++)
      pw_mutex_init(&chunk[i].lock);
    atomic_store_explicit(&g_chunks[c], chunk, memory_order_release);
  }
  *index = g_slots_used++;
  return PW_OK;
}

int pw_handle_alloc(pw_handle_kind kind, pw_ref *obj, const void *owner,
                    pw_handle_close_fn close, pw_handle *out) {
  uint32_t index;
  if (!obj || !out || !close)
    return PW_EINVAL;
  pw_mutex_lock(&g_table_lock);
  int rc = slot_take(&index);
  /* Counted before the lock is dropped: a cleanup (which takes this lock)
   * then sees a live handle and keeps the chunk this slot is in. */
  if (rc == PW_OK)
    atomic_fetch_add(&g_live, 1u);
  pw_mutex_unlock(&g_table_lock);
  if (rc != PW_OK)
    return rc;

  pw_slot *slot =
      &atomic_load_explicit(&g_chunks[index / CHUNK_SLOTS],
                            memory_order_acquire)[index % CHUNK_SLOTS];
  uint64_t value = handle_make(next_serial(), kind, index);
  pw_mutex_lock(&slot->lock);
  slot->value = value;
  slot->obj = obj;
  slot->owner = owner;
  slot->close = close;
  pw_mutex_unlock(&slot->lock);
  *out = value;
  return PW_OK;
}

int pw_handle_get(pw_handle h, pw_handle_kind kind, pw_ref **obj) {
  if (!obj || !lookup_enter())
    return PW_EBADHANDLE;
  pw_slot *slot = slot_for(h, kind);
  int rc = PW_EBADHANDLE;
  if (slot) {
    pw_mutex_lock(&slot->lock);
    if (slot->value == h) {
      pw_ref_acquire(slot->obj);
      *obj = slot->obj;
      rc = PW_OK;
    }
    pw_mutex_unlock(&slot->lock);
  }
  lookup_leave();
  return rc;
}

/* Empty a live slot (its lock held) and return the object it held. */
static pw_ref *slot_clear(pw_slot *slot) {
  pw_ref *obj = slot->obj;
  slot->value = 0;
  slot->obj = NULL;
  slot->owner = NULL;
  slot->close = NULL;
  return obj;
}

static void slot_release_index(uint32_t index) {
  pw_mutex_lock(&g_table_lock);
  pw_slot *chunk = atomic_load_explicit(&g_chunks[index / CHUNK_SLOTS],
                                        memory_order_relaxed);
  chunk[index % CHUNK_SLOTS].next_free = g_free_head;
  g_free_head = index;
  atomic_fetch_sub(&g_live, 1u);
  pw_mutex_unlock(&g_table_lock);
}

int pw_handle_free(pw_handle h, pw_handle_kind kind, pw_ref **obj) {
  if (!obj || !lookup_enter())
    return PW_EBADHANDLE;
  pw_slot *slot = slot_for(h, kind);
  int rc = PW_EBADHANDLE;
  if (slot) {
    pw_mutex_lock(&slot->lock);
    if (slot->value == h) {
      *obj = slot_clear(slot);
      rc = PW_OK;
    }
    pw_mutex_unlock(&slot->lock);
  }
  /* The slot goes back to the free list while this lookup still counts, so
   * no cleanup can run between clearing and releasing it. */
  if (rc == PW_OK)
    slot_release_index((uint32_t)(h & 0xFFFFu));
  lookup_leave();
  return rc;
}

void pw_handle_free_owner(const void *owner) {
  (void)lookup_enter();
  for (uint32_t c = 0; c < CHUNK_COUNT; c++) {
    pw_slot *chunk = atomic_load_explicit(&g_chunks[c], memory_order_acquire);
    if (!chunk)
      break; /* chunks are allocated in order */
    for (uint32_t i = 0; i < CHUNK_SLOTS; i++) {
      pw_slot *slot = &chunk[i];
      pw_mutex_lock(&slot->lock);
      if (slot->value == 0 || slot->owner != owner) {
        pw_mutex_unlock(&slot->lock);
        continue;
      }
      pw_handle_close_fn close = slot->close;
      pw_ref *obj = slot_clear(slot);
      pw_mutex_unlock(&slot->lock);
      slot_release_index(c * CHUNK_SLOTS + i);
      close(obj);
    }
  }
  lookup_leave();
}

size_t pw_handle_count(void) {
  return atomic_load(&g_live);
}

int pw_handle_table_cleanup(void) {
  pw_mutex_lock(&g_table_lock);
  atomic_store(&g_cleaning, 1);
  if (atomic_load(&g_live) != 0 || atomic_load(&g_lookups) != 0) {
    atomic_store(&g_cleaning, 0);
    pw_mutex_unlock(&g_table_lock);
    return PW_EBUSY;
  }
  for (uint32_t c = 0; c < CHUNK_COUNT; c++) {
    pw_slot *chunk = atomic_exchange(&g_chunks[c], NULL);
    if (!chunk)
      continue;
    for (uint32_t i = 0; i < CHUNK_SLOTS; i++)
      pw_mutex_destroy(&chunk[i].lock);
    free(chunk);
  }
  g_free_head = NO_SLOT;
  g_slots_used = 0;
  /* g_serial is deliberately kept: handles issued before cleanup must never
   * match handles issued after it. */
  atomic_store(&g_cleaning, 0);
  pw_mutex_unlock(&g_table_lock);
  return PW_OK;
}

/* portway — the process-wide handle table.
 *
 * Why process-wide: ClosePort, WritePort & co. receive only the handle, not
 * the monitor instance. A handle is never a pointer the spooler could forge:
 *
 *   bits 63..56  magic 0xA5
 *   bits 55..24  allocation serial (process-wide counter, never 0)
 *   bits 23..16  kind (port, xcv)
 *   bits 15..0   slot index
 *
 * A slot remembers the exact 64-bit value it was issued with; a lookup must
 * match all of it under the slot's own lock, so NULL, garbage, stale and
 * double-closed handles fail with PW_EBADHANDLE, and a stale handle cannot
 * match the slot's next occupant (new serial). Lookups take only the slot
 * lock: there is no global lock on the data path. The table lock guards the
 * free list and is taken only to allocate or free a slot.
 */
#ifndef PORTWAY_HANDLE_TABLE_H
#define PORTWAY_HANDLE_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "core/ref.h"
#include "portway/core.h"

typedef enum pw_handle_kind {
  PW_HANDLE_PORT = 1,
  PW_HANDLE_XCV = 2,
  PW_HANDLE_LM_PORT = 3 /* the language monitor's (core/lm) */
} pw_handle_kind;

/* How a handle's object is closed when its handle is invalidated by
 * ClosePort / XcvClosePort or by Shutdown: each kind brings its own, so the
 * table and the monitor need no switch over handle kinds. It receives the
 * handle's reference and must release it. */
typedef void (*pw_handle_close_fn)(pw_ref *obj);

#define PW_HANDLE_MAX_SLOTS 65536u

/* Issue a handle for `obj`, taking over one reference the caller holds.
 * `owner` (the monitor instance) lets Shutdown find its handles; `close`
 * is what Shutdown calls for it. PW_ENOMEM, PW_EBUSY (table full). */
int pw_handle_alloc(pw_handle_kind kind, pw_ref *obj, const void *owner,
                    pw_handle_close_fn close, pw_handle *out);

/* Look up a live handle of `kind` and return a NEW reference to its object
 * (release it with pw_ref_release). PW_EBADHANDLE otherwise. */
int pw_handle_get(pw_handle h, pw_handle_kind kind, pw_ref **obj);

/* Invalidate a live handle and hand its reference to the caller.
 * PW_EBADHANDLE if it is not live (closing twice fails the second time). */
int pw_handle_free(pw_handle h, pw_handle_kind kind, pw_ref **obj);

/* Invalidate every handle owned by `owner`, calling each one's close
 * function with the handle's reference. */
void pw_handle_free_owner(const void *owner);

/* Number of live handles (tests, cleanup). */
size_t pw_handle_count(void);

/* Free the table's memory if no handle is live and no lookup is running;
 * returns PW_EBUSY otherwise. Safe against concurrent calls with stale
 * handles: those fail with PW_EBADHANDLE and never touch freed memory. */
int pw_handle_table_cleanup(void);

#endif

/* portway — Bidi at the Win32 boundary: the spooler's containers
 * (BIDI_REQUEST_CONTAINER in, BIDI_RESPONSE_CONTAINER out) to and from the
 * portable model (core/bidi.h), and the spooler's allocator.
 *
 * Shared by portway.dll and the PJL language monitor's DLL: it depends on
 * the public Windows headers, core/bidi.h and portway/utf.h only (nothing
 * of monitor/front.h), so another DLL compiles this file as it is.
 *
 * The allocator. The answer belongs to the spooler, which frees it with
 * RouterFreeBidiResponseContainer, so it must be allocated with the
 * spooler's RouterAllocBidiResponseContainer / RouterAllocBidiMem
 * (spoolss.dll; RouterFreeBidiResponseContainer is winspool.drv's on the
 * docs' page, spoolss.dll exports it too). They are looked up at run time,
 * not imported: Wine 8.0's spoolss.dll exports none of the four, and an
 * import of a missing function would turn every call into a crash. Where
 * spoolss.dll lacks them, the hosting process's own executable may export
 * all four under the same names with the same contract, as a spooler
 * simulator does (monrun.exe, the Windows-side tests): it plays the
 * spooler, so it brings the spooler's allocator. Without either, Bidi is
 * not supported in that process (ERROR_NOT_SUPPORTED); Wine's own spooler
 * never calls SendRecvBidiDataFromPort anyway. */
#ifndef PORTWAY_MONITOR_BIDI_CONTAINER_H
#define PORTWAY_MONITOR_BIDI_CONTAINER_H

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#include <winspool.h>
#include <winsplp.h>

#include <stddef.h>

#include "core/bidi.h"

/* The spooler's Bidi allocator (winsplp.h's four functions). */
typedef struct pwb_router {
  PBIDI_RESPONSE_CONTAINER(WINAPI *alloc_container)(DWORD count);
  PVOID(WINAPI *alloc_mem)(size_t bytes);
  DWORD(WINAPI *free_container)(PBIDI_RESPONSE_CONTAINER container);
  VOID(WINAPI *free_mem)(PVOID p);
} pwb_router;

/* The allocator of this process: spoolss.dll's, else the executable's
 * exports (see above); NULL when there is none. Looked up once per
 * process; any thread. */
const pwb_router *pwb_router_get(void);

/* pAction, read at most PWB_MAX_ACTION units: ERROR_SUCCESS with the action
 * and its UTF-8 spelling in name (cap octets); ERROR_INVALID_PARAMETER for
 * NULL; ERROR_NOT_SUPPORTED for anything but EnumSchema, Get, GetAll and
 * Set in any case (GetWithArgument included). */
#define PWB_MAX_ACTION 32
DWORD pwb_action(LPCWSTR pAction, pw_bidi_action *action, char *name,
                 size_t cap);

/* A request container's requests with their paths as UTF-8. A path that is
 * NULL, longer than PW_BIDI_MAX_PATH units or not valid UTF-16 gets a NULL
 * schema (its answer: not supported). */
typedef struct pwb_requests {
  size_t n;
  pw_bidi_request *reqs;
  char **paths;
} pwb_requests;
/* ERROR_SUCCESS; ERROR_INVALID_PARAMETER for a NULL container, a Version
 * other than 1, or a Count of 0 or above PW_BIDI_MAX_REQUESTS;
 * ERROR_NOT_ENOUGH_MEMORY. *out is empty on failure. Flags are not looked
 * at ("reserved for system use"). */
DWORD pwb_requests_read(const BIDI_REQUEST_CONTAINER *c, pwb_requests *out);
void pwb_requests_free(pwb_requests *r);

/* The spooler's answer, allocated with r: Version 1, one BIDI_RESPONSE_DATA
 * per value, strings as UTF-16. ERROR_SUCCESS when every answer succeeded,
 * ERROR_BIDI_STATUS_WARNING when some carry an error (the call still
 * succeeded, *out holds the answers); ERROR_NOT_ENOUGH_MEMORY (nothing
 * left allocated, *out NULL). */
DWORD pwb_response_build(const pwb_router *r, const pw_bidi_response *resp,
                         PBIDI_RESPONSE_CONTAINER *out);

#endif

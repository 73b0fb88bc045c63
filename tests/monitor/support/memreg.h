/* portway tests — an in-memory MONITORREG (the spooler's registry callbacks)
 * so monitor tests control, inspect and corrupt the configuration store,
 * plus a stub MONITORREG whose callbacks all answer ERROR_CALL_NOT_IMPLEMENTED
 * like Wine's.
 *
 * memreg honours each callback's contract as ClusterReg* does: case-
 * insensitive names, subkey paths with '\', ERROR_FILE_NOT_FOUND,
 * ERROR_MORE_DATA with the needed size, ERROR_NO_MORE_ITEMS, no deletion of
 * keys that have subkeys, ERROR_INVALID_HANDLE for closed or unknown key
 * handles. It counts calls and open handles so tests can check that the
 * monitor uses it and closes every key it opens. Thread-safe. */
#ifndef PORTWAY_TEST_MEMREG_H
#define PORTWAY_TEST_MEMREG_H

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#include <winspool.h>
#include <winsplp.h>

typedef struct memreg memreg;

memreg *memreg_new(void);
void memreg_free(memreg *m);

/* Fill a MONITORINIT (and the MONITORREG it points to) for this store. */
void memreg_fill_init(memreg *m, MONITORINIT *init, MONITORREG *reg);
#define MEMREG_MONITORS L"SYSTEM\\CurrentControlSet\\Control\\Print\\Monitors"
/* Fill a MONITORINIT like Wine 8.0's: every callback returns 120 and
 * hckRegistryRoot is a real HKEY on HKLM\...\Monitors\<monitor> (created
 * if missing; NULL root if monitor is NULL). FALSE if the key cannot be
 * opened. Close the key with memreg_close_stub_init. */
BOOL memreg_fill_stub_init(MONITORINIT *init, MONITORREG *reg,
                           const WCHAR *monitor);
void memreg_close_stub_init(MONITORINIT *init);
/* Calls made to stub callbacks so far (all MONITORINITs). */
LONG memreg_stub_calls(void);

/* Callback calls so far, and key handles opened but not yet closed. */
LONG memreg_calls(memreg *m);
/* The private heap holding handle records (kept after close to catch use of
 * closed handles): heap measurements of the monitor leave it out. */
HANDLE memreg_handle_heap(memreg *m);
LONG memreg_open_handles(memreg *m);

/* Inspection and injection, paths relative to the root ("Ports\\PW1:"). */
BOOL memreg_key_exists(memreg *m, const WCHAR *path);
/* REG_SZ value into buf (cap WCHARs); FALSE if absent or not REG_SZ. */
BOOL memreg_get_sz(memreg *m, const WCHAR *path, const WCHAR *value, WCHAR *buf,
                   size_t cap);
/* Set any value (creating keys), for hostile-content tests. */
BOOL memreg_set(memreg *m, const WCHAR *path, const WCHAR *value, DWORD type,
                const void *data, DWORD cb);
/* Number of values in a key (-1 if absent). */
int memreg_value_count(memreg *m, const WCHAR *path);

#endif

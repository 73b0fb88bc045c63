/* portway — one registry interface over two backends: the spooler's
 * MONITORREG callbacks (cluster-aware, the documented way) and the Win32
 * registry (the fallback for spoolers whose callbacks are stubs, e.g. Wine).
 *
 * Every function returns a Win32 error code (LONG, as the Reg* API does).
 * Names are counted in WCHARs, data in bytes. Keys are opaque HANDLEs that
 * must be closed with pwm_reg_close (except pwm_reg_root). */
#ifndef PORTWAY_MONITOR_REGKEY_H
#define PORTWAY_MONITOR_REGKEY_H

#include "monitor/front.h"

#define PWM_REG_NAME_MAX 256 /* registry key names are at most 255 units */

typedef struct pwm_reg {
  int win32;              /* 1: Win32 registry fallback */
  HANDLE root;            /* hckRegistryRoot, or our handle on it */
  const MONITORREG *mreg; /* spooler callbacks (MONITORREG mode) */
  HANDLE spooler;         /* hSpooler, passed back to every callback */
  /* Fallback only: the name of the root key (Monitors\<name>), i.e. the
   * name this monitor entry was installed under; "" if unknown or in
   * MONITORREG mode. */
  WCHAR name[PWM_REG_NAME_MAX];
} pwm_reg;

/* Choose the backend (probe: MONITORREG's CreateKey("Ports") answering
 * ERROR_CALL_NOT_IMPLEMENTED, or any callback missing, selects the
 * registry) and open the root. The fallback uses only the real key the
 * spooler passes as hckRegistryRoot (Wine 8.0, observed); without one it
 * fails with ERROR_INVALID_PARAMETER. */
LONG pwm_reg_open_root(const MONITORINIT *init, pwm_reg *out);
void pwm_reg_close_root(pwm_reg *reg);

LONG pwm_reg_create(const pwm_reg *reg, HANDLE parent, const WCHAR *sub,
                    HANDLE *out);
LONG pwm_reg_open(const pwm_reg *reg, HANDLE parent, const WCHAR *sub,
                  HANDLE *out);
void pwm_reg_close(const pwm_reg *reg, HANDLE key);
/* Delete `sub` below `parent` with every subkey below it (values go with
 * their key). Depth is bounded: a hostile, very deep tree gives an error
 * instead of unbounded recursion. */
LONG pwm_reg_delete_tree(const pwm_reg *reg, HANDLE parent, const WCHAR *sub);
/* *cch: in = buffer size, out = name length (without NUL) on success. */
LONG pwm_reg_enum_key(const pwm_reg *reg, HANDLE key, DWORD index, WCHAR *name,
                      DWORD *cch);
/* type, data and cb may be NULL (data and cb together): enumerating names
 * only never reads value data, whatever its size. */
LONG pwm_reg_enum_value(const pwm_reg *reg, HANDLE key, DWORD index,
                        WCHAR *name, DWORD *cch, DWORD *type, BYTE *data,
                        DWORD *cb);
LONG pwm_reg_query_value(const pwm_reg *reg, HANDLE key, const WCHAR *name,
                         DWORD *type, BYTE *data, DWORD *cb);
LONG pwm_reg_set_sz(const pwm_reg *reg, HANDLE key, const WCHAR *name,
                    const WCHAR *value);
LONG pwm_reg_delete_value(const pwm_reg *reg, HANDLE key, const WCHAR *name);

#endif

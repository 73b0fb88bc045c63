/* portway — port-level entry points: EnumPorts, OpenPort, AddPortEx.
 *
 * Shape of every entry point: sanity checks first, one error code that
 * starts at a failure value, one exit that sets the last error. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "monitor/front.h"
#include "portway/utf.h"

/* ---- EnumPorts ---- */

typedef struct enum_strings {
  uint16_t *name, *desc;
  size_t name_cb, desc_cb; /* bytes including the NUL */
  DWORD type;              /* fPortType */
} enum_strings;

static int utf16_copy(const char *s, uint16_t **out, size_t *cb) {
  size_t units = 0;
  int rc = pw_utf8_to_utf16(s, out, &units);
  *cb = (units + 1) * sizeof(uint16_t);
  return rc;
}

static void free_strings(enum_strings *e, size_t n) {
  for (size_t i = 0; e && i < n; i++) {
    free(e[i].name);
    free(e[i].desc);
  }
  free(e);
}

/* Convert the port list for `level`; *needed = bytes for structs plus every
 * string, exactly what the fill below uses. */
static DWORD enum_prepare(const pw_port_list *list, DWORD level,
                          enum_strings **out, size_t *needed) {
  size_t entry = level == 1 ? sizeof(PORT_INFO_1W) : sizeof(PORT_INFO_2W);
  size_t total = 0;
  *out = NULL;
  *needed = 0;
  if (list->count == 0)
    return ERROR_SUCCESS;
  enum_strings *e = calloc(list->count, sizeof *e);
  if (!e)
    return ERROR_NOT_ENOUGH_MEMORY;
  for (size_t i = 0; i < list->count; i++) {
    unsigned f = list->ports[i].flags;
    e[i].type = PORT_TYPE_WRITE |
                ((f & PW_PORT_INFO_READ) ? PORT_TYPE_READ : 0) |
                ((f & PW_PORT_INFO_NET) ? PORT_TYPE_NET_ATTACHED : 0);
    int rc = utf16_copy(list->ports[i].name, &e[i].name, &e[i].name_cb);
    if (rc == PW_OK && level == 2)
      rc = utf16_copy(list->ports[i].description ? list->ports[i].description
                                                 : "",
                      &e[i].desc, &e[i].desc_cb);
    if (rc != PW_OK) {
      free_strings(e, list->count);
      return pwm_win32_error(rc);
    }
    total += entry + e[i].name_cb;
    if (level == 2)
      total += sizeof PWM_MONITOR_NAME_W + e[i].desc_cb;
  }
  if (total > MAXDWORD) {
    free_strings(e, list->count);
    return ERROR_ARITHMETIC_OVERFLOW;
  }
  *out = e;
  *needed = total;
  return ERROR_SUCCESS;
}

/* Copy a string to just below *end and return where it went. */
static LPWSTR put_string(BYTE **end, const void *s, size_t cb) {
  *end -= cb;
  memcpy(*end, s, cb);
  return (LPWSTR)(void *)*end;
}

/* Structs from the start, strings packed down from the end of the buffer
 * (keeping WCHAR alignment: cbBuf is rounded down to even, needed is even).
 * Structs are built locally and copied, so an unaligned caller buffer is
 * never written through a misaligned struct pointer. */
static void enum_fill(const enum_strings *e, size_t count, DWORD level,
                      BYTE *buf, DWORD cb_buf) {
  BYTE *end = buf + (cb_buf & ~(DWORD)1);
  for (size_t i = 0; i < count; i++) {
    if (level == 1) {
      PORT_INFO_1W pi = {put_string(&end, e[i].name, e[i].name_cb)};
      memcpy(buf + i * sizeof pi, &pi, sizeof pi);
    } else {
      PORT_INFO_2W pi;
      pi.pPortName = put_string(&end, e[i].name, e[i].name_cb);
      pi.pMonitorName =
          put_string(&end, PWM_MONITOR_NAME_W, sizeof PWM_MONITOR_NAME_W);
      pi.pDescription = put_string(&end, e[i].desc, e[i].desc_cb);
      pi.fPortType = e[i].type;
      pi.Reserved = 0;
      memcpy(buf + i * sizeof pi, &pi, sizeof pi);
    }
  }
}

/* pName (the server) is ignored: the spooler only asks us about ourselves
 * (Wine always passes NULL). pMonitorName is not localised: the DLL has no
 * string resources, and "portway" is a name, not prose. */
BOOL WINAPI pwm_EnumPorts(HANDLE hMonitor, LPWSTR pName, DWORD Level,
                          LPBYTE pPorts, DWORD cbBuf, LPDWORD pcbNeeded,
                          LPDWORD pcReturned) {
  DWORD err = ERROR_INVALID_PARAMETER;
  pwm_instance *inst = NULL;
  pw_port_list list = {0};
  enum_strings *e = NULL;
  size_t needed = 0;
  (void)pName;

  /* Sanity checks */
  if (!pcbNeeded || !pcReturned)
    goto done;
  *pcbNeeded = 0;
  *pcReturned = 0;
  if (Level != 1 && Level != 2) {
    err = ERROR_INVALID_LEVEL;
    goto done;
  }
  inst = pwm_instance_acquire(hMonitor);
  if (!inst) {
    err = ERROR_INVALID_HANDLE;
    goto done;
  }

  err = pwm_win32_error(pw_monitor_list_ports(pwm_instance_core(inst), &list));
  if (err == ERROR_SUCCESS)
    err = enum_prepare(&list, Level, &e, &needed);
  if (err != ERROR_SUCCESS)
    goto done;
  *pcbNeeded = (DWORD)needed;
  if (needed > 0 && (!pPorts || cbBuf < needed)) {
    err = ERROR_INSUFFICIENT_BUFFER;
    goto done;
  }
  if (needed > 0)
    enum_fill(e, list.count, Level, pPorts, cbBuf);
  *pcReturned = (DWORD)list.count;
  err = ERROR_SUCCESS;

done:
  free_strings(e, list.count);
  pw_port_list_free(&list);
  if (inst)
    pwm_instance_release(inst);
  SetLastError(err);
  return err == ERROR_SUCCESS;
}

/* ---- OpenPort ---- */

BOOL WINAPI pwm_OpenPort(HANDLE hMonitor, LPWSTR pName, PHANDLE pHandle) {
  DWORD err = ERROR_INVALID_PARAMETER;
  pwm_instance *inst = NULL;
  char *name = NULL;
  pw_handle h = 0;

  /* Sanity checks. *pHandle is written only on success: Wine judges
   * OpenPort by a non-NULL handle, not by the BOOL. */
  if (!pName || !pHandle)
    goto done;
  inst = pwm_instance_acquire(hMonitor);
  if (!inst) {
    err = ERROR_INVALID_HANDLE;
    goto done;
  }
  int rc = pwm_wide_to_utf8(pName, PWM_MAX_NAME, &name);
  if (rc == PW_OK && pw_port_name_validate(name) != PW_OK)
    rc = PW_EBADNAME;
  if (rc != PW_OK) {
    /* Not decodable, too long or malformed: a bad argument, not an unknown
     * port. */
    err = pwm_arg_error(rc);
    goto done;
  }
  rc = pw_port_open(pwm_instance_core(inst), name, &h);
  /* The one place "no such port" has its own Win32 code. */
  err = rc == PW_ENOENT ? ERROR_UNKNOWN_PORT : pwm_win32_error(rc);
  if (err == ERROR_SUCCESS)
    *pHandle = pwm_handle_to(h);

done:
  free(name);
  if (inst)
    pwm_instance_release(inst);
  SetLastError(err);
  return err == ERROR_SUCCESS;
}

/* ---- AddPortEx ---- */

/* Is `given` (untrusted, maybe NULL) this instance's monitor name? Monitor
 * names are registry key names, so the comparison ignores case. */
static BOOL is_own_monitor(const pwm_instance *inst, const WCHAR *given) {
  return given && wcsnlen(given, PWM_MAX_NAME) < PWM_MAX_NAME &&
         _wcsicmp(given, pwm_instance_name(inst)) == 0;
}

/* Documented as obsolete, but Wine's AddPortExW calls it: level 1 adds a
 * port by name with the default configuration (a file port in the data
 * folder). lpMonitorName must name this monitor entry: NULL, "" or another
 * monitor's name is ERROR_INVALID_PARAMETER and adds nothing (as Wine's
 * Local Port monitor answers; Wine 8.0, observed with its localmon
 * conformance test). The name is the instance's: under the registry
 * fallback the Monitors\<name> key the spooler passed, else "portway"
 * (docs/entry-points.md). */
BOOL WINAPI pwm_AddPortEx(HANDLE hMonitor, LPWSTR pName, DWORD Level,
                          LPBYTE lpBuffer, LPWSTR lpMonitorName) {
  DWORD err = ERROR_INVALID_PARAMETER;
  pwm_instance *inst = NULL;
  char *name = NULL;
  PORT_INFO_1W pi;
  (void)pName;

  /* Sanity checks */
  if (!lpBuffer)
    goto done;
  if (Level != 1) {
    err = ERROR_INVALID_LEVEL;
    goto done;
  }
  inst = pwm_instance_acquire(hMonitor);
  if (!inst) {
    err = ERROR_INVALID_HANDLE;
    goto done;
  }
  if (!is_own_monitor(inst, lpMonitorName))
    goto done; /* ERROR_INVALID_PARAMETER */
  memcpy(&pi, lpBuffer, sizeof pi);
  int rc = pwm_wide_to_utf8(pi.pName, PWM_MAX_NAME, &name);
  if (rc != PW_OK) {
    err = pwm_arg_error(rc);
    goto done;
  }
  err = pwm_win32_error(
      pw_monitor_add_port(pwm_instance_core(inst), name, NULL, NULL, 0));

done:
  free(name);
  if (inst)
    pwm_instance_release(inst);
  SetLastError(err);
  return err == ERROR_SUCCESS;
}

/* monrun — loading a monitor DLL, initializing it, and one call interface
 * for both table kinds (MONITOR2 with hMonitor, legacy MONITOR without). */
#include "monrun.h"

#include <stdlib.h>
#include <string.h>

typedef LPMONITOR2(WINAPI *init2_fn)(PMONITORINIT, PHANDLE);
typedef LPMONITOREX(WINAPI *init1_fn)(LPWSTR);

/* Kept alive until unload: the monitor may keep pointers into it. */
static MONITORINIT monitor_init;
static wchar_t legacy_root[600];

/* Copy a returned table the way Wine's spooler does: only the bytes the
 * monitor says it filled, the rest stays NULL. */
static void copy_table(void *dst, size_t dst_size, const void *src,
                       size_t src_size) {
  memset(dst, 0, dst_size);
  memcpy(dst, src, src_size < dst_size ? src_size : dst_size);
}

static DWORD init_monitor2(mr_monitor *mon, init2_fn init) {
  char e[300];
  memset(&monitor_init, 0, sizeof monitor_init);
  monitor_init.cbSize = sizeof monitor_init;
  monitor_init.hSpooler = mr_reg_spooler_cookie();
  monitor_init.hckRegistryRoot = (HKEYMONITOR)mr_reg_root_handle();
  monitor_init.pMonitorReg = mr_reg_table();
  monitor_init.bLocal = TRUE;
  monitor_init.pszServerName = NULL;

  HANDLE hmon = NULL;
  SetLastError(ERROR_SUCCESS);
  LPMONITOR2 table = init(&monitor_init, &hmon);
  if (!table) {
    DWORD code = GetLastError();
    mr_err("InitializePrintMonitor2 failed: %s", mr_errstr(code, e, sizeof e));
    if (code == ERROR_SUCCESS)
      mr_warn_once("InitializePrintMonitor2 returned NULL without "
                   "SetLastError");
    return code ? code : ERROR_GEN_FAILURE;
  }
  if (!hmon)
    mr_warn_once("InitializePrintMonitor2 left *phMonitor NULL");
  /* cbSize is the contract for how much of the table is valid; anything
   * smaller than the Windows 2000 layout cannot hold Shutdown. */
  DWORD cb = table->cbSize;
  if (cb < sizeof(DWORD) + 18 * sizeof(void *))
    mr_warn_once("MONITOR2.cbSize %lu is smaller than the Windows 2000 "
                 "layout (%u)",
                 (unsigned long)cb,
                 (unsigned)(sizeof(DWORD) + 18 * sizeof(void *)));
  if (cb > sizeof(MONITOR2))
    mr_info(1, "MONITOR2.cbSize %lu > %u: extra members ignored",
            (unsigned long)cb, (unsigned)sizeof(MONITOR2));
  copy_table(&mon->m2, sizeof mon->m2, table, cb);
  mon->m2.cbSize = cb;
  mon->reported_size = cb;
  mon->hmon = hmon;
  mr_info(1,
          "initialized with InitializePrintMonitor2 (cbSize %lu, "
          "hMonitor %p)",
          (unsigned long)cb, hmon);
  return ERROR_SUCCESS;
}

static DWORD init_legacy(mr_monitor *mon, init1_fn init) {
  char e[300];
  /* The spooler passes the path of the monitor's registry key; ours is
   * relative to HKCU instead of HKLM (documented). */
  lstrcpynW(legacy_root, mr_reg_root_path(),
            (int)(sizeof legacy_root / sizeof legacy_root[0]));
  SetLastError(ERROR_SUCCESS);
  LPMONITOREX ex = init(legacy_root);
  if (!ex) {
    DWORD code = GetLastError();
    mr_err("InitializePrintMonitor failed: %s", mr_errstr(code, e, sizeof e));
    return code ? code : ERROR_GEN_FAILURE;
  }
  copy_table(&mon->m1, sizeof mon->m1, &ex->Monitor, ex->dwMonitorSize);
  mon->reported_size = ex->dwMonitorSize;
  mon->legacy = 1;
  mr_info(1,
          "initialized with legacy InitializePrintMonitor "
          "(dwMonitorSize %lu)",
          (unsigned long)ex->dwMonitorSize);
  return ERROR_SUCCESS;
}

DWORD mr_monitor_load(mr_monitor *mon, const wchar_t *dll,
                      const wchar_t *name) {
  char e[300], u8[600];
  memset(mon, 0, sizeof *mon);
  mon->name = mr_wdup(name);
  if (!mon->name)
    return ERROR_NOT_ENOUGH_MEMORY;
  mon->dll = LoadLibraryW(dll);
  if (!mon->dll) {
    DWORD code = GetLastError();
    mr_err("cannot load %s: %s", mr_u8(dll, u8, sizeof u8),
           mr_errstr(code, e, sizeof e));
    free(mon->name);
    mon->name = NULL;
    return code ? code : ERROR_MOD_NOT_FOUND;
  }
  /* Function pointers from GetProcAddress: cast through a generic type. */
  FARPROC p2 = GetProcAddress(mon->dll, "InitializePrintMonitor2");
  FARPROC p1 = GetProcAddress(mon->dll, "InitializePrintMonitor");
  DWORD rc;
  if (p2)
    rc = init_monitor2(mon, (init2_fn)(void (*)(void))p2);
  else if (p1)
    rc = init_legacy(mon, (init1_fn)(void (*)(void))p1);
  else {
    mr_err("%s exports neither InitializePrintMonitor2 nor "
           "InitializePrintMonitor",
           mr_u8(dll, u8, sizeof u8));
    rc = ERROR_PROC_NOT_FOUND;
  }
  if (rc != ERROR_SUCCESS) {
    FreeLibrary(mon->dll);
    free(mon->name);
    memset(mon, 0, sizeof *mon);
  }
  return rc;
}

void mr_monitor_unload(mr_monitor *mon) {
  if (!mon->dll)
    return;
  if (!mon->legacy && mon->m2.pfnShutdown) {
    double t0 = mr_now();
    mon->m2.pfnShutdown(mon->hmon);
    double ms = (mr_now() - t0) * 1000.0;
    mr_info(1, "Shutdown took %.1f ms", ms);
    if (ms > 100.0)
      mr_warn_once("Shutdown took %.0f ms (must return quickly)", ms);
  } else if (!mon->legacy) {
    mr_warn_once("MONITOR2 has no pfnShutdown");
  }
  FreeLibrary(mon->dll);
  free(mon->name);
  memset(mon, 0, sizeof *mon);
}

/* ---- adapters ---- */

static BOOL missing(const char *fn) {
  mr_info(1, "monitor does not implement %s", fn);
  SetLastError(ERROR_NOT_SUPPORTED);
  return FALSE;
}

/* Pick the entry point from whichever table is loaded. */
#define PICK(mon, field)                                                       \
  ((mon)->legacy ? (void *)(mon)->m1.field : (void *)(mon)->m2.field)

BOOL mr_enum_ports(mr_monitor *mon, DWORD level, BYTE *buf, DWORD cb,
                   DWORD *needed, DWORD *returned) {
  if (!PICK(mon, pfnEnumPorts))
    return missing("EnumPorts");
  SetLastError(ERROR_SUCCESS);
  if (mon->legacy)
    return mon->m1.pfnEnumPorts(NULL, level, buf, cb, needed, returned);
  return mon->m2.pfnEnumPorts(mon->hmon, NULL, level, buf, cb, needed,
                              returned);
}

BOOL mr_open_port(mr_monitor *mon, const wchar_t *port, HANDLE *h) {
  if (mon->lm) { /* the spooler's way for a queue with a language monitor */
    *h = NULL;
    SetLastError(ERROR_SUCCESS);
    return mon->lm->m2.pfnOpenPortEx(mon->lm->hmon, mon->hmon, (LPWSTR)port,
                                     (LPWSTR)mon->lm_printer, h,
                                     mr_lm_pm_table(mon));
  }
  if (!PICK(mon, pfnOpenPort))
    return missing("OpenPort");
  *h = NULL;
  SetLastError(ERROR_SUCCESS);
  /* The prototypes take LPWSTR; the monitor must not write to it. */
  if (mon->legacy)
    return mon->m1.pfnOpenPort((LPWSTR)port, h);
  return mon->m2.pfnOpenPort(mon->hmon, (LPWSTR)port, h);
}

BOOL mr_start_doc(mr_monitor *mon, HANDLE h, const wchar_t *printer,
                  DWORD job_id, DOC_INFO_1W *doc) {
  if (mon->lm)
    mon = mon->lm; /* port calls go to the language monitor */
  if (!PICK(mon, pfnStartDocPort))
    return missing("StartDocPort");
  SetLastError(ERROR_SUCCESS);
  if (mon->legacy)
    return mon->m1.pfnStartDocPort(h, (LPWSTR)printer, job_id, 1, (LPBYTE)doc);
  return mon->m2.pfnStartDocPort(h, (LPWSTR)printer, job_id, 1, (LPBYTE)doc);
}

BOOL mr_write_port(mr_monitor *mon, HANDLE h, BYTE *buf, DWORD cb,
                   DWORD *written) {
  /* No NULL check here: checked once per job by the driver (hot path). */
  if (mon->lm)
    mon = mon->lm;
  SetLastError(ERROR_SUCCESS);
  if (mon->legacy)
    return mon->m1.pfnWritePort(h, buf, cb, written);
  return mon->m2.pfnWritePort(h, buf, cb, written);
}

BOOL mr_end_doc(mr_monitor *mon, HANDLE h) {
  if (mon->lm)
    mon = mon->lm;
  if (!PICK(mon, pfnEndDocPort))
    return missing("EndDocPort");
  SetLastError(ERROR_SUCCESS);
  return mon->legacy ? mon->m1.pfnEndDocPort(h) : mon->m2.pfnEndDocPort(h);
}

BOOL mr_close_port(mr_monitor *mon, HANDLE h) {
  if (mon->lm)
    mon = mon->lm;
  if (!PICK(mon, pfnClosePort))
    return missing("ClosePort");
  SetLastError(ERROR_SUCCESS);
  return mon->legacy ? mon->m1.pfnClosePort(h) : mon->m2.pfnClosePort(h);
}

int mr_has_xcv(const mr_monitor *mon) {
  if (mon->legacy)
    return mon->m1.pfnXcvOpenPort && mon->m1.pfnXcvDataPort &&
           mon->m1.pfnXcvClosePort;
  return mon->m2.pfnXcvOpenPort && mon->m2.pfnXcvDataPort &&
         mon->m2.pfnXcvClosePort;
}

BOOL mr_xcv_open(mr_monitor *mon, const wchar_t *object, ACCESS_MASK access,
                 HANDLE *h) {
  if (!mr_has_xcv(mon))
    return missing("XcvOpenPort/XcvDataPort/XcvClosePort");
  *h = NULL;
  SetLastError(ERROR_SUCCESS);
  if (mon->legacy)
    return mon->m1.pfnXcvOpenPort(object, access, h);
  return mon->m2.pfnXcvOpenPort(mon->hmon, object, access, h);
}

DWORD mr_xcv_data(mr_monitor *mon, HANDLE h, const wchar_t *cmd, const BYTE *in,
                  DWORD cb_in, BYTE *out, DWORD cb_out, DWORD *needed) {
  if (!mr_has_xcv(mon))
    return ERROR_NOT_SUPPORTED;
  /* The spooler zeroes *needed before the call (Wine does too). */
  *needed = 0;
  if (mon->legacy)
    return mon->m1.pfnXcvDataPort(h, cmd, (PBYTE)in, cb_in, out, cb_out,
                                  needed);
  return mon->m2.pfnXcvDataPort(h, cmd, (PBYTE)in, cb_in, out, cb_out, needed);
}

BOOL mr_xcv_close(mr_monitor *mon, HANDLE h) {
  if (!mr_has_xcv(mon))
    return missing("XcvClosePort");
  SetLastError(ERROR_SUCCESS);
  return mon->legacy ? mon->m1.pfnXcvClosePort(h) : mon->m2.pfnXcvClosePort(h);
}

int mr_has_add_port_ex(const mr_monitor *mon) {
  return PICK(mon, pfnAddPortEx) != NULL;
}

BOOL mr_add_port_ex(mr_monitor *mon, const wchar_t *port) {
  PORT_INFO_1W pi = {(LPWSTR)port};
  if (!mr_has_add_port_ex(mon))
    return missing("AddPortEx");
  SetLastError(ERROR_SUCCESS);
  if (mon->legacy)
    return mon->m1.pfnAddPortEx(NULL, 1, (LPBYTE)&pi, mon->name);
  return mon->m2.pfnAddPortEx(mon->hmon, NULL, 1, (LPBYTE)&pi, mon->name);
}

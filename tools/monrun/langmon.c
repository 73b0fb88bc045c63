/* monrun — a language monitor over the port monitor (--lm DLL).
 *
 * The spooler opens a port of a queue whose driver names a language monitor
 * with the language monitor's OpenPortEx, handing it the port monitor's
 * MONITOR2 and instance, and sends the job through the language monitor.
 * monrun does the same. For a legacy port monitor (MONITOR, no hMonitor:
 * Wine's localspl) it builds a MONITOR2 whose entries call the legacy
 * table, as a spooler has to.
 *
 * What the language monitor tells the spooler goes through winspool's
 * SetPortW (port status, PORT_INFO_3) and SetJobW (the job's last page
 * ejected): monrun replaces those imports of the language monitor's DLL
 * (its import address table: any language monitor, no cooperation needed)
 * with its own, which print one line on stdout each:
 *   SetPort PORT: status=N severity=N text="..."
 *   SetJob PRINTER JOB: control=N
 * OpenPrinterW/ClosePrinter are replaced too, so SetJob gets a handle
 * monrun knows instead of reaching the real spooler. */
#include "monrun.h"
#include "patch_import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef LPMONITOR2(WINAPI *init2_fn)(PMONITORINIT, PHANDLE);

/* ---- the hooked winspool calls ---- */

#define FAKE_PRINTER_MAGIC 0x6d72706eu /* "mrpn" */
typedef struct fake_printer {
  DWORD magic;
  wchar_t name[256];
} fake_printer;

static BOOL WINAPI hook_SetPortW(LPWSTR pName, LPWSTR pPortName, DWORD level,
                                 LPBYTE info) {
  char port[300], text[300];
  (void)pName;
  if (level != 3 || !info) {
    mr_out("SetPort %s: level %lu (not shown)",
           mr_u8(pPortName, port, sizeof port), (unsigned long)level);
    return TRUE;
  }
  const PORT_INFO_3W *pi = (const PORT_INFO_3W *)info;
  mr_out("SetPort %s: status=%lu severity=%lu text=\"%s\"",
         mr_u8(pPortName, port, sizeof port), (unsigned long)pi->dwStatus,
         (unsigned long)pi->dwSeverity,
         pi->pszStatus ? mr_u8(pi->pszStatus, text, sizeof text) : "");
  fflush(stdout);
  return TRUE;
}

static BOOL WINAPI hook_OpenPrinterW(LPWSTR name, LPHANDLE h,
                                     LPPRINTER_DEFAULTSW def) {
  (void)def;
  if (!h) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return FALSE;
  }
  fake_printer *p = calloc(1, sizeof *p);
  if (!p) {
    SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    return FALSE;
  }
  p->magic = FAKE_PRINTER_MAGIC;
  lstrcpynW(p->name, name ? name : L"", 256);
  *h = (HANDLE)p;
  return TRUE;
}

static BOOL WINAPI hook_ClosePrinter(HANDLE h) {
  fake_printer *p = (fake_printer *)h;
  if (!p || p->magic != FAKE_PRINTER_MAGIC) {
    mr_warn_once("ClosePrinter with a handle monrun did not give");
    SetLastError(ERROR_INVALID_HANDLE);
    return FALSE;
  }
  p->magic = 0;
  free(p);
  return TRUE;
}

static BOOL WINAPI hook_SetJobW(HANDLE h, DWORD job, DWORD level, LPBYTE info,
                                DWORD command) {
  char name[300];
  (void)level, (void)info;
  fake_printer *p = (fake_printer *)h;
  if (!p || p->magic != FAKE_PRINTER_MAGIC) {
    mr_warn_once("SetJob with a handle monrun did not give");
    SetLastError(ERROR_INVALID_HANDLE);
    return FALSE;
  }
  mr_out("SetJob %s %lu: control=%lu%s", mr_u8(p->name, name, sizeof name),
         (unsigned long)job, (unsigned long)command,
         command == JOB_CONTROL_LAST_PAGE_EJECTED ? " (LAST_PAGE_EJECTED)"
         : command == JOB_CONTROL_SENT_TO_PRINTER ? " (SENT_TO_PRINTER)"
                                                  : "");
  fflush(stdout);
  return TRUE;
}

static void hook_spooler_calls(HMODULE mod) {
  static const struct {
    const char *fn;
    void *repl;
  } hooks[] = {
      {"SetPortW", (void *)hook_SetPortW},
      {"SetJobW", (void *)hook_SetJobW},
      {"OpenPrinterW", (void *)hook_OpenPrinterW},
      {"ClosePrinter", (void *)hook_ClosePrinter},
  };
  for (size_t i = 0; i < sizeof hooks / sizeof hooks[0]; i++) {
    int n = mr_patch_import(mod, "winspool.drv", hooks[i].fn, hooks[i].repl);
    mr_info(1, "language monitor: %s %s", hooks[i].fn,
            n ? "hooked" : "not imported");
  }
}

/* ---- a MONITOR2 for a legacy port monitor ---- */

static mr_monitor *g_legacy_pm; /* the one port monitor of this run */
static MONITOR2 g_shim;

static BOOL WINAPI shim_OpenPort(HANDLE hMonitor, LPWSTR name, PHANDLE h) {
  (void)hMonitor;
  return g_legacy_pm->m1.pfnOpenPort(name, h);
}

static BOOL WINAPI shim_EnumPorts(HANDLE hMonitor, LPWSTR pName, DWORD level,
                                  LPBYTE buf, DWORD cb, LPDWORD needed,
                                  LPDWORD returned) {
  (void)hMonitor;
  return g_legacy_pm->m1.pfnEnumPorts(pName, level, buf, cb, needed, returned);
}

MONITOR2 *mr_lm_pm_table(mr_monitor *pm) {
  if (!pm->legacy)
    return &pm->m2;
  /* The port entry points have the same shape in both tables. */
  g_legacy_pm = pm;
  memset(&g_shim, 0, sizeof g_shim);
  g_shim.cbSize = sizeof g_shim;
  g_shim.pfnEnumPorts = pm->m1.pfnEnumPorts ? shim_EnumPorts : NULL;
  g_shim.pfnOpenPort = pm->m1.pfnOpenPort ? shim_OpenPort : NULL;
  g_shim.pfnStartDocPort = pm->m1.pfnStartDocPort;
  g_shim.pfnWritePort = pm->m1.pfnWritePort;
  g_shim.pfnReadPort = pm->m1.pfnReadPort;
  g_shim.pfnEndDocPort = pm->m1.pfnEndDocPort;
  g_shim.pfnClosePort = pm->m1.pfnClosePort;
  g_shim.pfnGetPrinterDataFromPort = pm->m1.pfnGetPrinterDataFromPort;
  g_shim.pfnSetPortTimeOuts = pm->m1.pfnSetPortTimeOuts;
  return &g_shim;
}

/* ---- loading ---- */

DWORD mr_lm_load(mr_monitor *lm, mr_monitor *pm, const wchar_t *dll,
                 const wchar_t *name) {
  char e[300], u8[600];
  memset(lm, 0, sizeof *lm);
  HANDLE root = NULL;
  DWORD rc = mr_reg_open_extra(name, &root);
  if (rc != ERROR_SUCCESS) {
    mr_err("cannot open the language monitor's store: %s",
           mr_errstr(rc, e, sizeof e));
    return rc;
  }
  lm->name = mr_wdup(name);
  lm->dll = lm->name ? LoadLibraryW(dll) : NULL;
  if (!lm->dll) {
    rc = lm->name ? GetLastError() : ERROR_NOT_ENOUGH_MEMORY;
    mr_err("cannot load %s: %s", mr_u8(dll, u8, sizeof u8),
           mr_errstr(rc, e, sizeof e));
    free(lm->name);
    memset(lm, 0, sizeof *lm);
    return rc ? rc : ERROR_MOD_NOT_FOUND;
  }
  hook_spooler_calls(lm->dll);
  FARPROC p2 = GetProcAddress(lm->dll, "InitializePrintMonitor2");
  MONITORINIT *init = &pm->lm_init;
  memset(init, 0, sizeof *init);
  init->cbSize = sizeof *init;
  init->hSpooler = mr_reg_spooler_cookie();
  init->hckRegistryRoot = (HKEYMONITOR)root;
  init->pMonitorReg = mr_reg_table();
  init->bLocal = TRUE;
  HANDLE hmon = NULL;
  LPMONITOR2 t = p2 ? ((init2_fn)(void (*)(void))p2)(init, &hmon) : NULL;
  if (!t) {
    rc = p2 ? GetLastError() : ERROR_PROC_NOT_FOUND;
    mr_err("%s: InitializePrintMonitor2 %s: %s", mr_u8(dll, u8, sizeof u8),
           p2 ? "failed" : "is not exported", mr_errstr(rc, e, sizeof e));
  } else if (t->cbSize < offsetof(MONITOR2, pfnAddPort) || !t->pfnOpenPortEx) {
    mr_err("%s is no language monitor: its MONITOR2 has no OpenPortEx",
           mr_u8(dll, u8, sizeof u8));
    rc = ERROR_INVALID_PRINT_MONITOR;
    if (t->cbSize >= offsetof(MONITOR2, pfnSendRecvBidiDataFromPort) &&
        t->pfnShutdown)
      t->pfnShutdown(hmon);
    t = NULL;
  }
  if (!t) {
    FreeLibrary(lm->dll);
    free(lm->name);
    memset(lm, 0, sizeof *lm);
    return rc ? rc : ERROR_GEN_FAILURE;
  }
  size_t n = t->cbSize < sizeof lm->m2 ? t->cbSize : sizeof lm->m2;
  memcpy(&lm->m2, t, n);
  lm->hmon = hmon;
  lm->reported_size = t->cbSize;
  pm->lm = lm;
  mr_info(1, "language monitor %s loaded over %s", mr_u8(name, u8, sizeof u8),
          pm->legacy ? "a legacy port monitor" : "the port monitor");
  return ERROR_SUCCESS;
}

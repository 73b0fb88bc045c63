/* portway — DLL entry, InitializePrintMonitor2, monitor instances, Shutdown.
 *
 * Each InitializePrintMonitor2 call creates an instance (one per spooler:
 * node and cluster spoolers each get their own) holding the core monitor and
 * its config store; *phMonitor points at it. Entry points that receive an
 * hMonitor look it up in the list of live instances before touching it, so
 * garbage or shut-down handles give ERROR_INVALID_HANDLE. That list and its
 * lock are the DLL's only writable globals: they must span instances. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "monitor/front.h"

/* The core's 64-bit handles travel as HANDLE values. */
_Static_assert(sizeof(HANDLE) >= sizeof(pw_handle), "64-bit build only");

#define INSTANCE_MAGIC 0x70776d69u /* "pwmi" */

struct pwm_instance {
  DWORD magic;
  LONG refs;          /* the live list holds one; each entry point one */
  pwm_instance *next; /* live list link, guarded by g_live_lock */
  pw_monitor *mon;
  pwm_store *store;
  pw_hooks hooks;
  WCHAR name[PWM_MAX_NAME]; /* the monitor entry's name (AddPortEx) */
};

static SRWLOCK g_live_lock = SRWLOCK_INIT;
static pwm_instance *g_live;

/* The table the spooler reads. Unset members are NULL on purpose:
 * - AddPort, ConfigurePort, DeletePort: server-side UI entry points; with
 *   them NULL the spooler asks Xcv "MonitorUI" and uses portwayui.dll, the
 *   only place allowed to show UI (Windows 2000+ split, Wine does the same).
 * - OpenPortEx: language monitors only.
 * - GetPrinterDataFromPort: no device I/O controls.
 * - NotifyUsedPorts/NotifyUnusedPorts: optional hints we have no use for.
 * Read-only, so one table serves every instance. */
static const MONITOR2 g_monitor2 = {
    sizeof(MONITOR2),
    pwm_EnumPorts,       /* pfnEnumPorts */
    pwm_OpenPort,        /* pfnOpenPort */
    NULL,                /* pfnOpenPortEx */
    pwm_StartDocPort,    /* pfnStartDocPort */
    pwm_WritePort,       /* pfnWritePort */
    pwm_ReadPort,        /* pfnReadPort */
    pwm_EndDocPort,      /* pfnEndDocPort */
    pwm_ClosePort,       /* pfnClosePort */
    NULL,                /* pfnAddPort */
    pwm_AddPortEx,       /* pfnAddPortEx: Wine's AddPortExW reaches it */
    NULL,                /* pfnConfigurePort */
    NULL,                /* pfnDeletePort */
    NULL,                /* pfnGetPrinterDataFromPort */
    pwm_SetPortTimeOuts, /* pfnSetPortTimeOuts: per-handle time-outs */
    pwm_XcvOpenPort,     /* pfnXcvOpenPort */
    pwm_XcvDataPort,     /* pfnXcvDataPort */
    pwm_XcvClosePort,    /* pfnXcvClosePort */
    pwm_Shutdown,        /* pfnShutdown */
    pwm_SendRecvBidiDataFromPort, /* pfnSendRecvBidiDataFromPort: IPP ports */
    NULL,                         /* pfnNotifyUsedPorts */
    NULL,                         /* pfnNotifyUnusedPorts */
};

BOOL WINAPI DllMain(HINSTANCE hinst, DWORD reason, LPVOID reserved);
BOOL WINAPI DllMain(HINSTANCE hinst, DWORD reason, LPVOID reserved) {
  if (reason == DLL_PROCESS_ATTACH) {
    DisableThreadLibraryCalls(hinst);
  } else if (reason == DLL_PROCESS_DETACH && reserved == NULL) {
    /* FreeLibrary: release the core's process-wide tables. Not at process
     * exit (reserved != NULL): other threads are gone, perhaps mid-call
     * holding a lock, and the OS reclaims everything anyway. */
    pw_core_cleanup();
  }
  return TRUE;
}

/* ---- live instances ---- */

pwm_instance *pwm_instance_acquire(HANDLE hMonitor) {
  pwm_instance *found = NULL;
  AcquireSRWLockShared(&g_live_lock);
  for (pwm_instance *i = g_live; i; i = i->next)
    if (i == (pwm_instance *)hMonitor && i->magic == INSTANCE_MAGIC) {
      InterlockedIncrement(&i->refs);
      found = i;
      break;
    }
  ReleaseSRWLockShared(&g_live_lock);
  if (!found)
    SetLastError(ERROR_INVALID_HANDLE);
  return found;
}

static void instance_free(pwm_instance *inst) {
  /* The core owns the store now and closes it when its memory goes: at
   * once, or after a call still running on one of its handles. */
  pw_monitor_destroy(inst->mon);
  inst->magic = 0;
  free(inst);
}

void pwm_instance_release(pwm_instance *inst) {
  /* The last reference frees: normally Shutdown's, but a call still running
   * when Shutdown arrives keeps the instance alive until it returns. */
  if (InterlockedDecrement(&inst->refs) == 0)
    instance_free(inst);
}

pw_monitor *pwm_instance_core(pwm_instance *inst) {
  return inst->mon;
}

const WCHAR *pwm_instance_name(const pwm_instance *inst) {
  return inst->name;
}

/* ---- initialisation ---- */

static DWORD instance_create(const MONITORINIT *init, pwm_instance **out) {
  char *dir = NULL, *name = NULL;
  int fallback = 0;
  pwm_instance *inst = calloc(1, sizeof *inst);
  if (!inst)
    return ERROR_NOT_ENOUGH_MEMORY;
  DWORD err = pwm_store_open(init, &inst->store);
  if (err == ERROR_SUCCESS) {
    /* Both read now: the core owns the store once the monitor exists. */
    const WCHAR *wname = pwm_store_monitor_name(inst->store);
    fallback = pwm_store_is_fallback(inst->store);
    if (wcslen(wname) >= PWM_MAX_NAME)
      err = ERROR_INVALID_PARAMETER; /* key names are shorter */
    else
      wcscpy(inst->name, wname);
  }
  if (err == ERROR_SUCCESS) {
    int rc = pwm_wide_to_utf8(inst->name, PWM_MAX_NAME, &name);
    err = rc == PW_OK ? ERROR_SUCCESS : pwm_win32_error(rc);
  }
  if (err == ERROR_SUCCESS)
    err = pwm_data_dir(&dir);
  if (err == ERROR_SUCCESS) {
    pwm_hooks_init(&inst->hooks);
    pw_monitor_options opt = {
        .name = name,
        .data_dir = dir,
        .store = pwm_store_iface(inst->store),
        .hooks = &inst->hooks,
        .ui_dll = PWM_UI_DLL,
    };
    err = pwm_win32_error(pw_monitor_create(&opt, &inst->mon));
  }
  free(dir);
  if (err != ERROR_SUCCESS) {
    free(name);
    pwm_store_close(inst->store);
    free(inst);
    return err;
  }
  /* The log exists only now, after the store it reads its level from. */
  if (fallback)
    pw_monitor_log(inst->mon, PW_LOG_INFO,
                   "monitor %s: the spooler does not implement MONITORREG; "
                   "ports are stored in the registry key it passed "
                   "(Monitors\\%s)",
                   name, name);
  free(name);
  inst->magic = INSTANCE_MAGIC;
  inst->refs = 1;
  *out = inst;
  return ERROR_SUCCESS;
}

LPMONITOR2 WINAPI InitializePrintMonitor2(PMONITORINIT pMonitorInit,
                                          PHANDLE phMonitor);
LPMONITOR2 WINAPI InitializePrintMonitor2(PMONITORINIT pMonitorInit,
                                          PHANDLE phMonitor) {
  pwm_instance *inst = NULL;
  /* Sanity checks: everything here comes from the spooler; check anyway. */
  if (!pMonitorInit || pMonitorInit->cbSize < sizeof(MONITORINIT) ||
      !pMonitorInit->pMonitorReg ||
      pMonitorInit->pMonitorReg->cbSize < sizeof(MONITORREG) || !phMonitor) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return NULL;
  }
  DWORD err = instance_create(pMonitorInit, &inst);
  if (err != ERROR_SUCCESS) {
    SetLastError(err);
    return NULL;
  }
  AcquireSRWLockExclusive(&g_live_lock);
  inst->next = g_live;
  g_live = inst;
  ReleaseSRWLockExclusive(&g_live_lock);
  *phMonitor = (HANDLE)inst;
  /* The spooler only reads the table (Wine copies it). */
  return (LPMONITOR2)&g_monitor2;
}

VOID WINAPI pwm_Shutdown(HANDLE hMonitor) {
  pwm_instance *inst = NULL;
  AcquireSRWLockExclusive(&g_live_lock);
  for (pwm_instance **p = &g_live; *p; p = &(*p)->next)
    if (*p == (pwm_instance *)hMonitor) {
      inst = *p;
      *p = inst->next; /* from now on acquire() cannot find it */
      break;
    }
  ReleaseSRWLockExclusive(&g_live_lock);
  /* Unknown handle: nothing to shut down (Shutdown returns nothing). */
  if (inst)
    pwm_instance_release(inst);
}

/* portway — portwaylm.dll: DLL entry, InitializePrintMonitor2, instances,
 * Shutdown.
 *
 * A language monitor is a MONITOR2 DLL whose table has OpenPortEx instead
 * of OpenPort and no EnumPorts, Xcv or port management: the spooler opens
 * a port through it, handing it the port monitor's table (port.c). As in
 * portway.dll, each InitializePrintMonitor2 makes an instance; entry points
 * that get an hMonitor look it up in the live list first, so garbage and
 * shut-down handles give ERROR_INVALID_HANDLE. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "langmon/front.h"

_Static_assert(sizeof(HANDLE) >= sizeof(pw_handle), "64-bit build only");

#define INSTANCE_MAGIC 0x70776c6du /* "pwlm" */

struct pwl_instance {
  DWORD magic;
  LONG refs;          /* the live list holds one; each entry point one */
  pwl_instance *next; /* guarded by g_live_lock */
  pw_lm *lm;
  pwm_reg reg; /* the monitor's key: per-port options */
  pw_lm_hooks hooks;
};

static SRWLOCK g_live_lock = SRWLOCK_INIT;
static pwl_instance *g_live;

/* Unset members are NULL on purpose: a language monitor enumerates and
 * manages no ports (the port monitor does), has no OpenPort (the spooler
 * uses OpenPortEx for it), no Xcv and no UI. */
static const MONITOR2 g_monitor2 = {
    sizeof(MONITOR2),
    NULL,                         /* pfnEnumPorts */
    NULL,                         /* pfnOpenPort */
    pwl_OpenPortEx,               /* pfnOpenPortEx */
    pwl_StartDocPort,             /* pfnStartDocPort */
    pwl_WritePort,                /* pfnWritePort */
    pwl_ReadPort,                 /* pfnReadPort */
    pwl_EndDocPort,               /* pfnEndDocPort */
    pwl_ClosePort,                /* pfnClosePort */
    NULL,                         /* pfnAddPort */
    NULL,                         /* pfnAddPortEx */
    NULL,                         /* pfnConfigurePort */
    NULL,                         /* pfnDeletePort */
    pwl_GetPrinterDataFromPort,   /* pfnGetPrinterDataFromPort */
    NULL,                         /* pfnSetPortTimeOuts */
    NULL,                         /* pfnXcvOpenPort */
    NULL,                         /* pfnXcvDataPort */
    NULL,                         /* pfnXcvClosePort */
    pwl_Shutdown,                 /* pfnShutdown */
    pwl_SendRecvBidiDataFromPort, /* pfnSendRecvBidiDataFromPort */
    NULL,                         /* pfnNotifyUsedPorts */
    NULL,                         /* pfnNotifyUnusedPorts */
};

BOOL WINAPI DllMain(HINSTANCE hinst, DWORD reason, LPVOID reserved);
BOOL WINAPI DllMain(HINSTANCE hinst, DWORD reason, LPVOID reserved) {
  if (reason == DLL_PROCESS_ATTACH)
    DisableThreadLibraryCalls(hinst);
  else if (reason == DLL_PROCESS_DETACH && reserved == NULL)
    pw_core_cleanup(); /* FreeLibrary: the core's process-wide tables */
  return TRUE;
}

pwl_instance *pwl_instance_acquire(HANDLE hMonitor) {
  pwl_instance *found = NULL;
  AcquireSRWLockShared(&g_live_lock);
  for (pwl_instance *i = g_live; i; i = i->next)
    if (i == (pwl_instance *)hMonitor && i->magic == INSTANCE_MAGIC) {
      InterlockedIncrement(&i->refs);
      found = i;
      break;
    }
  ReleaseSRWLockShared(&g_live_lock);
  if (!found)
    SetLastError(ERROR_INVALID_HANDLE);
  return found;
}

void pwl_instance_release(pwl_instance *inst) {
  if (InterlockedDecrement(&inst->refs) != 0)
    return;
  pw_lm_destroy(inst->lm);
  pwm_reg_close_root(&inst->reg);
  inst->magic = 0;
  free(inst);
}

pw_lm *pwl_instance_core(pwl_instance *inst) {
  return inst->lm;
}

const pwm_reg *pwl_instance_reg(pwl_instance *inst) {
  return &inst->reg;
}

static DWORD instance_create(const MONITORINIT *init, pwl_instance **out) {
  pwl_instance *inst = calloc(1, sizeof *inst);
  if (!inst)
    return ERROR_NOT_ENOUGH_MEMORY;
  char *dir = NULL;
  DWORD err = (DWORD)pwm_reg_open_root(init, &inst->reg);
  if (err == ERROR_SUCCESS)
    err = pwm_data_dir(&dir); /* shared with portway.dll: its own log */
  if (err == ERROR_SUCCESS) {
    pwl_hooks_init(&inst->hooks);
    pw_lm_options opt = {PWL_MONITOR_NAME, dir, &inst->hooks, 0};
    err = pwm_win32_error(pw_lm_create(&opt, &inst->lm));
  }
  free(dir);
  if (err != ERROR_SUCCESS) {
    pwm_reg_close_root(&inst->reg);
    free(inst);
    return err;
  }
  pw_lm_log(inst->lm, PW_LOG_INFO, "%s: initialized (%s)", PWL_MONITOR_NAME,
            inst->reg.win32 ? "options from the registry key the spooler "
                              "passed: it does not implement MONITORREG"
                            : "options through MONITORREG");
  inst->magic = INSTANCE_MAGIC;
  inst->refs = 1;
  *out = inst;
  return ERROR_SUCCESS;
}

LPMONITOR2 WINAPI InitializePrintMonitor2(PMONITORINIT pMonitorInit,
                                          PHANDLE phMonitor);
LPMONITOR2 WINAPI InitializePrintMonitor2(PMONITORINIT pMonitorInit,
                                          PHANDLE phMonitor) {
  if (!pMonitorInit || pMonitorInit->cbSize < sizeof(MONITORINIT) ||
      !pMonitorInit->pMonitorReg ||
      pMonitorInit->pMonitorReg->cbSize < sizeof(MONITORREG) || !phMonitor) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return NULL;
  }
  pwl_instance *inst = NULL;
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
  return (LPMONITOR2)&g_monitor2;
}

VOID WINAPI pwl_Shutdown(HANDLE hMonitor) {
  pwl_instance *inst = NULL;
  AcquireSRWLockExclusive(&g_live_lock);
  for (pwl_instance **p = &g_live; *p; p = &(*p)->next)
    if (*p == (pwl_instance *)hMonitor) {
      inst = *p;
      *p = inst->next;
      break;
    }
  ReleaseSRWLockExclusive(&g_live_lock);
  if (inst)
    pwl_instance_release(inst); /* closes every open port (pw_lm_destroy) */
}

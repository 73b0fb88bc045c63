/* portway — the port monitor below the language monitor: its MONITOR2
 * table (copied at OpenPortEx, as the contract asks) and one port opened
 * through it, as the core's pw_lm_lower. UTF-8 from the core becomes
 * UTF-16 here; StartDocPort passes the spooler's own arguments on
 * unchanged. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "langmon/front.h"

struct pwl_lower {
  MONITOR2 pm;              /* the port monitor's table, zero beyond its size */
  HANDLE hmon;              /* its instance (hMonitorPort) */
  HANDLE port;              /* its port handle */
  WCHAR name[PWM_MAX_NAME]; /* the port's name */
};

/* A Win32 failure of the port monitor as a pw_err. */
static int pm_error(DWORD e) {
  switch (e) {
  case ERROR_SUCCESS:
    return PW_EIO; /* FALSE without a reason */
  case ERROR_TIMEOUT:
  case ERROR_SEM_TIMEOUT:
  case WAIT_TIMEOUT:
    return PW_ETIMEDOUT;
  case ERROR_NOT_SUPPORTED:
  case ERROR_INVALID_FUNCTION:
  case ERROR_CALL_NOT_IMPLEMENTED:
    return PW_ENOTSUP;
  case ERROR_INVALID_HANDLE:
    return PW_EBADHANDLE;
  case ERROR_NOT_ENOUGH_MEMORY:
  case ERROR_OUTOFMEMORY:
    return PW_ENOMEM;
  case ERROR_OPERATION_ABORTED:
  case ERROR_CANCELLED:
    return PW_ECANCELED;
  case ERROR_BUSY:
    return PW_EBUSY;
  case ERROR_INVALID_PARAMETER:
    return PW_ESTATE; /* portway: a call out of order */
  default:
    return PW_EIO;
  }
}

static int lower_start(void *ctx, const char *printer, uint32_t job_id,
                       const char *doc_name, const void *arg) {
  (void)printer, (void)doc_name; /* the spooler's own strings go on */
  pwl_lower *l = ctx;
  const pwl_start_args *a = arg;
  if (!a)
    return PW_EINVAL;
  if (l->pm.pfnStartDocPort(l->port, (LPWSTR)a->printer, job_id, a->level,
                            (LPBYTE)a->info))
    return PW_OK;
  return pm_error(GetLastError());
}

static int lower_write(void *ctx, const void *buf, size_t len,
                       size_t *written) {
  pwl_lower *l = ctx;
  const BYTE *b = buf;
  size_t done = 0;
  /* WritePort may take less than asked (TRUE, a short count): go on until
   * all is taken; no progress at all is a failure. */
  while (done < len) {
    DWORD chunk = len - done > 0x10000000u ? 0x10000000u : (DWORD)(len - done);
    DWORD w = 0;
    if (!l->pm.pfnWritePort(l->port, (LPBYTE)(b + done), chunk, &w)) {
      *written = done;
      return pm_error(GetLastError());
    }
    if (w == 0 || w > chunk) {
      *written = done;
      return PW_EIO;
    }
    done += w;
  }
  *written = done;
  return PW_OK;
}

static int lower_read(void *ctx, void *buf, size_t cap, size_t *got) {
  pwl_lower *l = ctx;
  DWORD n = 0;
  *got = 0;
  if (!l->pm.pfnReadPort)
    return PW_ENOTSUP;
  if (!l->pm.pfnReadPort(l->port, buf, cap > 0x10000u ? 0x10000u : (DWORD)cap,
                         &n))
    return pm_error(GetLastError());
  *got = n <= cap ? n : cap;
  return PW_OK;
}

static int lower_end(void *ctx) {
  pwl_lower *l = ctx;
  return l->pm.pfnEndDocPort(l->port) ? PW_OK : pm_error(GetLastError());
}

static int lower_timeout(void *ctx, uint32_t ms) {
  pwl_lower *l = ctx;
  if (!l->pm.pfnSetPortTimeOuts)
    return PW_ENOTSUP;
  /* Only the read bound: 0 keeps the port's own write time-out (portway's
   * rule; other port monitors are asked the same). */
  COMMTIMEOUTS t = {0, 0, ms, 0, 0};
  return l->pm.pfnSetPortTimeOuts(l->port, &t, 0) ? PW_OK
                                                  : pm_error(GetLastError());
}

/* EnumPorts level 2 of the port monitor: does it say PORT_TYPE_READ for
 * our port? (Only then is the printer asked outside a job.) */
static int lower_readable(void *ctx) {
  pwl_lower *l = ctx;
  if (!l->pm.pfnEnumPorts || !l->pm.pfnReadPort)
    return 0;
  DWORD need = 0, n = 0;
  (void)l->pm.pfnEnumPorts(l->hmon, NULL, 2, NULL, 0, &need, &n);
  if (need == 0 || need > (1u << 24))
    return 0;
  BYTE *buf = malloc(need);
  int readable = 0;
  if (buf && l->pm.pfnEnumPorts(l->hmon, NULL, 2, buf, need, &need, &n)) {
    const PORT_INFO_2W *pi = (const PORT_INFO_2W *)buf;
    for (DWORD i = 0; i < n; i++)
      if (pi[i].pPortName && _wcsicmp(pi[i].pPortName, l->name) == 0)
        readable = (pi[i].fPortType & PORT_TYPE_READ) != 0;
  }
  free(buf);
  return readable;
}

static void lower_close(void *ctx) {
  pwl_lower *l = ctx;
  (void)l->pm.pfnClosePort(l->port);
  free(l);
}

DWORD pwl_lower_open(const MONITOR2 *pm, HANDLE hMonitorPort, const WCHAR *port,
                     pw_lm_lower *out) {
  memset(out, 0, sizeof *out);
  /* What a language monitor needs of the port monitor below it. ReadPort
   * is not among it: without one the port has no back channel (Wine's
   * Local Port has none), and the jobs are framed without status. */
  if (!pm || pm->cbSize < offsetof(MONITOR2, pfnAddPort) || !pm->pfnOpenPort ||
      !pm->pfnStartDocPort || !pm->pfnWritePort || !pm->pfnEndDocPort ||
      !pm->pfnClosePort)
    return ERROR_INVALID_PRINT_MONITOR;
  pwl_lower *l = calloc(1, sizeof *l);
  if (!l)
    return ERROR_NOT_ENOUGH_MEMORY;
  size_t n = pm->cbSize < sizeof l->pm ? pm->cbSize : sizeof l->pm;
  memcpy(&l->pm, pm, n);
  l->hmon = hMonitorPort;
  if (wcslen(port) >= PWM_MAX_NAME) {
    free(l);
    return ERROR_INVALID_PARAMETER;
  }
  wcscpy(l->name, port);
  if (!l->pm.pfnOpenPort(hMonitorPort, (LPWSTR)port, &l->port)) {
    DWORD e = GetLastError();
    free(l);
    return e ? e : ERROR_GEN_FAILURE;
  }
  out->ctx = l;
  out->start_doc = lower_start;
  out->write = lower_write;
  out->read = lower_read;
  out->end_doc = lower_end;
  out->set_read_timeout = lower_timeout;
  out->close = lower_close;
  out->readable = lower_readable;
  return ERROR_SUCCESS;
}

HANDLE pwl_lower_port(void *lower_ctx, const MONITOR2 **pm) {
  pwl_lower *l = lower_ctx;
  *pm = &l->pm;
  return l->port;
}

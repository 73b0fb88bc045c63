/* portway — portwaylm.dll's port entry points: OpenPortEx over the port
 * monitor the spooler hands us, then StartDocPort .. ClosePort into the
 * language monitor's core (include/portway/langmon.h).
 *
 * Handles are the core's validated 64-bit handles: NULL, garbage, stale and
 * closed ones give FALSE + ERROR_INVALID_HANDLE. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "langmon/front.h"

static BOOL finish(DWORD err) {
  SetLastError(err);
  return err == ERROR_SUCCESS;
}

static pw_handle core_handle(HANDLE h) {
  return (pw_handle)(uintptr_t)h;
}

BOOL WINAPI pwl_OpenPortEx(HANDLE hMonitor, HANDLE hMonitorPort,
                           LPWSTR pPortName, LPWSTR pPrinterName,
                           PHANDLE pHandle, struct _MONITOR2 *pMonitor2) {
  if (!pHandle || !pPortName)
    return finish(ERROR_INVALID_PARAMETER);
  *pHandle = NULL;
  pwl_instance *inst = pwl_instance_acquire(hMonitor);
  if (!inst)
    return finish(ERROR_INVALID_HANDLE);
  char *port = NULL, *printer = NULL;
  DWORD err = pwm_win32_error(pwm_wide_to_utf8(pPortName, PWM_MAX_NAME, &port));
  if (err == ERROR_SUCCESS && pPrinterName)
    err = pwm_win32_error(
        pwm_wide_to_utf8(pPrinterName, PWM_MAX_STRING, &printer));
  pw_lm_port_options opt;
  pw_lm_lower lower;
  if (err == ERROR_SUCCESS) {
    pwl_read_options(inst, pPortName, &opt);
    err = pwl_lower_open(pMonitor2, hMonitorPort, pPortName, &lower);
  }
  pw_handle h = 0;
  if (err == ERROR_SUCCESS) /* takes the lower port over, even on failure */
    err = pwm_win32_error(
        pw_lm_open(pwl_instance_core(inst), port, printer, &opt, &lower, &h));
  if (err == ERROR_SUCCESS)
    *pHandle = (HANDLE)(uintptr_t)h;
  else
    pw_lm_log(pwl_instance_core(inst), PW_LOG_ERROR,
              "port=%s OpenPortEx failed: Win32 error %lu", port ? port : "?",
              (unsigned long)err);
  free(port);
  free(printer);
  pwl_instance_release(inst);
  return finish(err);
}

BOOL WINAPI pwl_StartDocPort(HANDLE hPort, LPWSTR pPrinterName, DWORD JobId,
                             DWORD Level, LPBYTE pDocInfo) {
  pwm_doc doc = {0};
  /* The same checks as portway.dll (level, strings); the port monitor
   * below then gets the spooler's own arguments. */
  DWORD err = pwm_doc_collect(pPrinterName, JobId, Level, pDocInfo, &doc);
  if (err == ERROR_SUCCESS) {
    pwl_start_args a = {pPrinterName, Level, pDocInfo};
    err = pwm_win32_error(pw_lm_start_doc(core_handle(hPort), doc.printer,
                                          JobId, doc.doc_name, &a));
  }
  pwm_doc_free(&doc);
  return finish(err);
}

BOOL WINAPI pwl_WritePort(HANDLE hPort, LPBYTE pBuffer, DWORD cbBuf,
                          LPDWORD pcbWritten) {
  static BYTE empty[1];
  if (!pcbWritten || (!pBuffer && cbBuf))
    return finish(ERROR_INVALID_PARAMETER);
  *pcbWritten = 0;
  size_t w = 0;
  int rc =
      pw_lm_write(core_handle(hPort), pBuffer ? pBuffer : empty, cbBuf, &w);
  if (rc == PW_OK)
    *pcbWritten = (DWORD)w;
  return finish(pwm_win32_error(rc));
}

BOOL WINAPI pwl_ReadPort(HANDLE hPort, LPBYTE pBuffer, DWORD cbBuffer,
                         LPDWORD pcbRead) {
  static BYTE empty[1];
  if (!pcbRead || (!pBuffer && cbBuffer))
    return finish(ERROR_INVALID_PARAMETER);
  *pcbRead = 0;
  size_t got = 0;
  int rc =
      pw_lm_read(core_handle(hPort), pBuffer ? pBuffer : empty, cbBuffer, &got);
  if (rc == PW_OK)
    *pcbRead = (DWORD)got;
  return finish(pwm_win32_error(rc));
}

BOOL WINAPI pwl_EndDocPort(HANDLE hPort) {
  return finish(pwm_win32_error(pw_lm_end_doc(core_handle(hPort))));
}

BOOL WINAPI pwl_ClosePort(HANDLE hPort) {
  return finish(pwm_win32_error(pw_lm_close(core_handle(hPort))));
}

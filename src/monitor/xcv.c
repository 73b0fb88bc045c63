/* portway — Xcv entry points: XcvOpenPort, XcvDataPort, XcvClosePort.
 *
 * The command table, the input decoding and the access check live in the
 * core (pw_xcv_data, docs/xcv.md); here only the command name is decoded
 * and the raw buffers are passed through. Access is checked per command in
 * XcvDataPort, never in XcvOpenPort (Wine passes the caller's requested
 * access through unchanged; Windows passes what it granted). */
#include <stdlib.h>

#include "monitor/front.h"

BOOL WINAPI pwm_XcvOpenPort(HANDLE hMonitor, LPCWSTR pszObject,
                            ACCESS_MASK GrantedAccess, PHANDLE phXcv) {
  DWORD err = ERROR_INVALID_PARAMETER;
  pwm_instance *inst = NULL;
  char *object = NULL;
  pw_handle h = 0;

  /* Sanity checks. pszObject is the port (",XcvPort") or monitor
   * (",XcvMonitor") name and may be NULL. *phXcv is set only on success. */
  if (!phXcv)
    goto done;
  inst = pwm_instance_acquire(hMonitor);
  if (!inst) {
    err = ERROR_INVALID_HANDLE;
    goto done;
  }
  int rc = pwm_wide_to_utf8_opt(pszObject, PWM_MAX_NAME, &object);
  if (rc != PW_OK) {
    err = pwm_arg_error(rc);
    goto done;
  }
  err = pwm_win32_error(
      pw_xcv_open(pwm_instance_core(inst), object, GrantedAccess, &h));
  if (err == ERROR_SUCCESS)
    *phXcv = pwm_handle_to(h);

done:
  free(object);
  if (inst)
    pwm_instance_release(inst);
  SetLastError(err);
  return err == ERROR_SUCCESS;
}

/* Returns the status (a Win32 code); the spooler hands it to the XcvData
 * caller as *pdwStatus. */
DWORD WINAPI pwm_XcvDataPort(HANDLE hXcv, LPCWSTR pszDataName, PBYTE pInputData,
                             DWORD cbInputData, PBYTE pOutputData,
                             DWORD cbOutputData, PDWORD pcbOutputNeeded) {
  char *command = NULL;
  size_t needed = 0;

  /* Sanity checks, in the order TCPMON documents them. */
  if (!pcbOutputNeeded)
    return ERROR_INVALID_PARAMETER; /* nowhere to say how much is needed */
  *pcbOutputNeeded = 0;
  /* A NULL handle is a bad argument, as modern Windows answers (Wine 8.0,
   * observed with its localmon conformance test); any other bad value is
   * ERROR_INVALID_HANDLE from the core's handle check. */
  if (!hXcv)
    return ERROR_INVALID_PARAMETER;
  if (!pszDataName || (!pOutputData && cbOutputData))
    return ERROR_INVALID_PARAMETER;
  if (!pInputData && cbInputData)
    return ERROR_INVALID_DATA;
  int rc = pwm_wide_to_utf8(pszDataName, PWM_MAX_COMMAND, &command);
  if (rc != PW_OK)
    return pwm_arg_error(rc); /* not decodable: no such command */
  rc = pw_xcv_data(pwm_handle_from(hXcv), command, pInputData, cbInputData,
                   pOutputData, cbOutputData, &needed);
  free(command);
  *pcbOutputNeeded = needed > MAXDWORD ? MAXDWORD : (DWORD)needed;
  return pwm_win32_error(rc);
}

BOOL WINAPI pwm_XcvClosePort(HANDLE hXcv) {
  DWORD err = pwm_win32_error(pw_xcv_close(pwm_handle_from(hXcv)));
  SetLastError(err);
  return err == ERROR_SUCCESS;
}

/* portway — portwaylm.dll's two-way entry points: SendRecvBidiDataFromPort
 * (the spooler's Bidi call; containers and allocator from
 * src/monitor/bidi_container.c, shared with portway.dll) and
 * GetPrinterDataFromPort (a PJL INFO answer by value name; I/O controls go
 * to the port monitor below). The printer is asked by the core
 * (pw_lm_query), only on ports whose port monitor has a back channel.
 *
 * SendRecvBidiDataFromPort results are portway.dll's (src/monitor/bidi.c):
 * ERROR_SUCCESS, ERROR_BIDI_STATUS_WARNING (some answers carry an error),
 * ERROR_INVALID_PARAMETER, ERROR_NOT_SUPPORTED, ERROR_INVALID_HANDLE. */
#include <stdlib.h>
#include <string.h>

#include "langmon/front.h"
#include "monitor/bidi_container.h"

static const DOC_INFO_1W g_query_doc = {(LPWSTR)L"portway PJL query", NULL,
                                        (LPWSTR)L"RAW"};
static const pwl_start_args g_query_args = {NULL, 1,
                                            (const BYTE *)&g_query_doc};

const pwl_start_args *pwl_query_args(void) {
  return &g_query_args;
}

static pw_handle core_handle(HANDLE h) {
  return (pw_handle)(uintptr_t)h;
}

DWORD WINAPI pwl_SendRecvBidiDataFromPort(HANDLE hPort, DWORD dwAccessBit,
                                          LPCWSTR pAction,
                                          PBIDI_REQUEST_CONTAINER pReqData,
                                          PBIDI_RESPONSE_CONTAINER *ppResData) {
  (void)dwAccessBit; /* every value is read-only */
  if (!ppResData)
    return ERROR_INVALID_PARAMETER;
  *ppResData = NULL;
  const pwb_router *router = pwb_router_get();
  if (!router)
    return ERROR_NOT_SUPPORTED; /* nothing the caller could free */
  pw_bidi_action action = PW_BIDI_GET;
  char name[PWB_MAX_ACTION + 1];
  DWORD err = pwb_action(pAction, &action, name, sizeof name);
  pwb_requests rq = {0};
  if (err == ERROR_SUCCESS && action != PW_BIDI_ENUM_SCHEMA)
    err = pwb_requests_read(pReqData, &rq);
  pw_bidi_response *resp = NULL;
  if (err == ERROR_SUCCESS)
    err = pwm_win32_error(pw_lm_bidi(core_handle(hPort), name, rq.reqs, rq.n,
                                     pwl_query_args(), &resp));
  if (err == ERROR_SUCCESS)
    err = pwb_response_build(router, resp, ppResData);
  pw_bidi_response_free(resp);
  pwb_requests_free(&rq);
  return err;
}

/* ---- GetPrinterDataFromPort ---- */

typedef struct ioctl_call {
  DWORD id;
  LPWSTR name, in, out;
  DWORD cb_in, cb_out;
  LPDWORD returned;
  DWORD err;
} ioctl_call;

/* On the port monitor below (pw_lm_forward). */
static int forward_ioctl(void *lower_ctx, void *arg) {
  ioctl_call *c = arg;
  const MONITOR2 *pm = NULL;
  HANDLE port = pwl_lower_port(lower_ctx, &pm);
  if (!pm->pfnGetPrinterDataFromPort) {
    c->err = ERROR_NOT_SUPPORTED;
    return PW_OK;
  }
  c->err = pm->pfnGetPrinterDataFromPort(port, c->id, c->name, c->in, c->cb_in,
                                         c->out, c->cb_out, c->returned)
               ? ERROR_SUCCESS
               : GetLastError();
  return PW_OK;
}

static BOOL finish(DWORD err) {
  SetLastError(err);
  return err == ERROR_SUCCESS;
}

BOOL WINAPI pwl_GetPrinterDataFromPort(HANDLE hPort, DWORD ControlID,
                                       LPWSTR pValueName, LPWSTR lpInBuffer,
                                       DWORD cbInBuffer, LPWSTR lpOutBuffer,
                                       DWORD cbOutBuffer,
                                       LPDWORD lpcbReturned) {
  if (!lpcbReturned || (!lpOutBuffer && cbOutBuffer))
    return finish(ERROR_INVALID_PARAMETER);
  *lpcbReturned = 0;
  if (ControlID != 0) { /* an I/O control: the port monitor's business */
    ioctl_call c = {ControlID,  pValueName,  lpInBuffer,   lpOutBuffer,
                    cbInBuffer, cbOutBuffer, lpcbReturned, ERROR_SUCCESS};
    int rc = pw_lm_forward(core_handle(hPort), forward_ioctl, &c);
    return finish(rc == PW_OK ? c.err : pwm_win32_error(rc));
  }
  char *name = NULL;
  DWORD err = pwm_win32_error(pwm_wide_to_utf8(pValueName, 64, &name));
  char text[1200];
  size_t need = 0;
  int rc = PW_OK;
  if (err == ERROR_SUCCESS) {
    rc = pw_lm_get_data(core_handle(hPort), name, pwl_query_args(), text,
                        sizeof text, &need);
    err = rc == PW_ENOENT      ? ERROR_NOT_SUPPORTED /* a name not served */
          : rc == PW_ENOTSUP   ? ERROR_NOT_SUPPORTED /* never asked */
          : rc == PW_ETIMEDOUT ? ERROR_TIMEOUT
                               : pwm_win32_error(rc);
  }
  free(name);
  if (err != ERROR_SUCCESS)
    return finish(err);
  /* The answer as a UTF-16 string (the spooler stores it as REG_SZ). */
  WCHAR *w = NULL;
  size_t units = 0;
  err = pwm_win32_error(pwm_utf8_to_wide(text, &w, &units));
  if (err == ERROR_SUCCESS) {
    DWORD bytes = (DWORD)((units + 1) * sizeof(WCHAR));
    *lpcbReturned = bytes;
    if (cbOutBuffer < bytes)
      err = ERROR_INSUFFICIENT_BUFFER;
    else
      memcpy(lpOutBuffer, w, bytes);
  }
  free(w);
  return finish(err);
}

/* portway — SendRecvBidiDataFromPort: the spooler's Bidi call on a port
 * handle. The containers and the allocator are bidi_container.c (shared
 * with the language monitor), the answer is the core's (pw_port_bidi): an
 * IPP port asks its printer, other port types have no Bidi.
 *
 * Results (docs/entry-points.md):
 *   ERROR_SUCCESS              every answer succeeded
 *   ERROR_BIDI_STATUS_WARNING  the call succeeded, some answers carry an
 *                              error in their dwResult (unknown path, no
 *                              data, device offline, read-only); *ppResData
 *                              holds the answers either way
 *   ERROR_INVALID_PARAMETER    ppResData or pAction NULL; a request
 *                              container that is NULL, not Version 1, empty
 *                              or above 1024 requests (Get, GetAll, Set)
 *   ERROR_NOT_SUPPORTED        another action (GetWithArgument); a port type
 *                              without Bidi; a process without the
 *                              spooler's Bidi allocator (bidi_container.h)
 *   ERROR_INVALID_HANDLE       NULL, garbage, stale or closed handles
 *   ERROR_OPERATION_ABORTED    ClosePort / Shutdown during the query
 * On every failure *ppResData is NULL. dwAccessBit is not looked at: every
 * value is read-only, so Set is refused whoever asks. */
#include <stdlib.h>

#include "monitor/bidi_container.h"
#include "monitor/front.h"

DWORD WINAPI pwm_SendRecvBidiDataFromPort(HANDLE hPort, DWORD dwAccessBit,
                                          LPCWSTR pAction,
                                          PBIDI_REQUEST_CONTAINER pReqData,
                                          PBIDI_RESPONSE_CONTAINER *ppResData) {
  DWORD err = ERROR_INVALID_PARAMETER;
  pwb_requests rq = {0};
  pw_bidi_response *resp = NULL;
  pw_bidi_action action = PW_BIDI_GET;
  char name[PWB_MAX_ACTION + 1];
  (void)dwAccessBit;

  /* Sanity checks */
  if (!ppResData)
    return ERROR_INVALID_PARAMETER;
  *ppResData = NULL;
  const pwb_router *router = pwb_router_get();
  if (!router) {
    err = ERROR_NOT_SUPPORTED; /* nothing the caller could free */
    goto done;
  }
  err = pwb_action(pAction, &action, name, sizeof name);
  if (err != ERROR_SUCCESS)
    goto done;
  /* EnumSchema ignores the request container ([MS-RPRN] 3.1.4.2.27). */
  if (action != PW_BIDI_ENUM_SCHEMA &&
      (err = pwb_requests_read(pReqData, &rq)) != ERROR_SUCCESS)
    goto done;

  int rc = pw_port_bidi(pwm_handle_from(hPort), name, rq.reqs, rq.n, &resp);
  if (rc != PW_OK) {
    err = pwm_win32_error(rc); /* PW_ENOTSUP: ERROR_NOT_SUPPORTED */
    goto done;
  }
  err = pwb_response_build(router, resp, ppResData);

done:
  pw_bidi_response_free(resp);
  pwb_requests_free(&rq);
  return err;
}

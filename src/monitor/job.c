/* portway — job entry points on a port handle: StartDocPort, WritePort,
 * ReadPort, EndDocPort, ClosePort, SetPortTimeOuts.
 *
 * The port HANDLE is the core's pw_handle; the core rejects NULL, forged,
 * stale and closed values with PW_EBADHANDLE (ERROR_INVALID_HANDLE) and owns
 * the job state machine (PW_ESTATE, PW_EBUSY, poisoning after a failed
 * write). */
#include "monitor/front.h"

static BOOL finish(DWORD err) {
  SetLastError(err);
  return err == ERROR_SUCCESS;
}

BOOL WINAPI pwm_StartDocPort(HANDLE hPort, LPWSTR pPrinterName, DWORD JobId,
                             DWORD Level, LPBYTE pDocInfo) {
  pwm_doc doc = {0};
  /* pPrinterName may be NULL and JobId 0 (Wine's job path): the job is
   * then delivered without SetJob. pOutputFile is not used: the port's
   * configuration decides the destination (Wine passes the port name). */
  DWORD err = pwm_doc_collect(pPrinterName, JobId, Level, pDocInfo, &doc);
  if (err == ERROR_SUCCESS) {
    pw_doc_info info = {
        .printer = doc.printer,
        .job_id = JobId,
        .doc_name = doc.doc_name,
        .user = doc.user,
        .machine = doc.machine,
        .datatype = doc.datatype,
    };
    err = pwm_win32_error(pw_port_start_doc(pwm_handle_from(hPort), &info));
  }
  pwm_doc_free(&doc);
  return finish(err);
}

BOOL WINAPI pwm_WritePort(HANDLE hPort, LPBYTE pBuffer, DWORD cbBuf,
                          LPDWORD pcbWritten) {
  static const BYTE empty[1];
  size_t written = 0;
  if (!pcbWritten)
    return finish(ERROR_INVALID_PARAMETER);
  *pcbWritten = 0; /* on every failure */
  if (!pBuffer && cbBuf)
    return finish(ERROR_INVALID_PARAMETER);
  /* All or nothing: the core writes every byte or fails and poisons the
   * job, so a TRUE always means *pcbWritten == cbBuf (Wine's print
   * processor aborts on a short count). */
  int rc = pw_port_write(pwm_handle_from(hPort), pBuffer ? pBuffer : empty,
                         cbBuf, &written);
  if (rc == PW_OK)
    *pcbWritten = (DWORD)written;
  return finish(pwm_win32_error(rc));
}

/* File ports have no back channel: the core answers PW_ENOTSUP, i.e.
 * FALSE + ERROR_NOT_SUPPORTED with *pcbRead = 0. The spooler never calls
 * ReadPort; a language monitor above us would get that answer. */
BOOL WINAPI pwm_ReadPort(HANDLE hPort, LPBYTE pBuffer, DWORD cbBuffer,
                         LPDWORD pcbRead) {
  static BYTE empty[1];
  size_t nread = 0;
  if (!pcbRead)
    return finish(ERROR_INVALID_PARAMETER);
  *pcbRead = 0;
  if (!pBuffer && cbBuffer)
    return finish(ERROR_INVALID_PARAMETER);
  int rc = pw_port_read(pwm_handle_from(hPort), pBuffer ? pBuffer : empty,
                        cbBuffer, &nread);
  if (rc == PW_OK)
    *pcbRead = (DWORD)nread;
  return finish(pwm_win32_error(rc));
}

BOOL WINAPI pwm_EndDocPort(HANDLE hPort) {
  /* The core commits (or discards a poisoned job) and, for a delivered job
   * with printer and job id, calls the job_delivered hook (SetJob). */
  return finish(pwm_win32_error(pw_port_end_doc(pwm_handle_from(hPort))));
}

BOOL WINAPI pwm_ClosePort(HANDLE hPort) {
  /* A job still open is aborted: nothing half-written reaches a final
   * name. */
  return finish(pwm_win32_error(pw_port_close(pwm_handle_from(hPort))));
}

/* SetPortTimeOuts (learn.microsoft.com "SetPortTimeOuts function"): the
 * spooler or a language monitor sets a port handle's time-outs. Of
 * COMMTIMEOUTS only the totals' constants mean anything for a destination:
 * ReadTotalTimeoutConstant bounds one ReadPort, WriteTotalTimeoutConstant
 * one WritePort (milliseconds; 0 keeps the port's default). The connect
 * time-out stays the port's default. `reserved` must be 0. */
BOOL WINAPI pwm_SetPortTimeOuts(HANDLE hPort, LPCOMMTIMEOUTS lpCTO,
                                DWORD reserved) {
  if (!lpCTO || reserved != 0)
    return finish(ERROR_INVALID_PARAMETER);
  pw_timeouts t = {
      .connect_ms = 0,
      .read_ms = lpCTO->ReadTotalTimeoutConstant,
      .write_ms = lpCTO->WriteTotalTimeoutConstant,
  };
  return finish(
      pwm_win32_error(pw_port_set_timeouts(pwm_handle_from(hPort), &t)));
}

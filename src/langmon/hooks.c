/* portway — what the language monitor tells the spooler.
 *
 * Port status: SetPort(NULL, port, 3, PORT_INFO_3W{status id, or text,
 * severity}). The spooler shows it on every queue of the port; a status of
 * 0 with no text clears it. It runs on the status reader's thread (as
 * pjlmon's status thread does), never inside a spooler call that may hold
 * the spooler's port lock, except the clear at ClosePort/EndDocPort.
 *
 * Job end: SetJob(JOB_CONTROL_LAST_PAGE_EJECTED) on the job's printer, the
 * language monitor's part of completing a job (the port monitor below has
 * already said SENT_TO_PRINTER). Failures are logged, never fatal: the job
 * itself is done. */
#include <stdlib.h>

#include "langmon/front.h"

/* Our status codes are PORT_INFO_3's ids, our severities its types. */
_Static_assert(PW_PORT_STATUS_OFFLINE == PORT_STATUS_OFFLINE, "id");
_Static_assert(PW_PORT_STATUS_PAPER_JAM == PORT_STATUS_PAPER_JAM, "id");
_Static_assert(PW_PORT_STATUS_DOOR_OPEN == PORT_STATUS_DOOR_OPEN, "id");
_Static_assert(PW_PORT_STATUS_POWER_SAVE == PORT_STATUS_POWER_SAVE, "id");
_Static_assert(PW_PORT_SEVERITY_ERROR == PORT_STATUS_TYPE_ERROR, "type");
_Static_assert(PW_PORT_SEVERITY_INFO == PORT_STATUS_TYPE_INFO, "type");

static void port_status(void *ctx, pw_lm *lm, const char *port,
                        const pw_port_status *st) {
  (void)ctx;
  WCHAR *wport = NULL, *wtext = NULL;
  if (pwm_utf8_to_wide(port, &wport, NULL) != PW_OK)
    return;
  /* A known id is shown in the user's language by the spooler; our text
   * (the printer's panel words) only for conditions without one. */
  PORT_INFO_3W pi = {(DWORD)st->code, NULL, (DWORD)st->severity};
  if (st->code == PW_PORT_STATUS_OK) {
    pi.dwSeverity = 0;
  } else if (st->text && st->text[0] &&
             pwm_utf8_to_wide(st->text, &wtext, NULL) == PW_OK &&
             st->code == PW_PORT_STATUS_USER_INTERVENTION) {
    pi.dwStatus = 0;
    pi.pszStatus = wtext;
  }
  if (!SetPortW(NULL, wport, 3, (LPBYTE)&pi))
    pw_lm_log(lm, PW_LOG_DEBUG,
              "port=%s SetPort(PORT_INFO_3) failed: Win32 error %lu", port,
              (unsigned long)GetLastError());
  free(wtext);
  free(wport);
}

static void job_done(void *ctx, pw_lm *lm, const char *port,
                     const char *printer, uint32_t job_id, int confirmed,
                     long pages) {
  (void)ctx, (void)confirmed, (void)pages; /* logged by the core */
  if (!printer || !printer[0] || job_id == 0)
    return; /* Wine's job path: no printer, no job to complete */
  WCHAR *wprinter = NULL;
  HANDLE h = NULL;
  DWORD err = ERROR_SUCCESS;
  if (pwm_utf8_to_wide(printer, &wprinter, NULL) != PW_OK)
    err = ERROR_INVALID_PARAMETER;
  else if (!OpenPrinterW(wprinter, &h, NULL))
    err = GetLastError();
  else if (!SetJobW(h, job_id, 0, NULL, JOB_CONTROL_LAST_PAGE_EJECTED))
    err = GetLastError();
  if (h)
    ClosePrinter(h);
  free(wprinter);
  if (err != ERROR_SUCCESS)
    pw_lm_log(lm, PW_LOG_WARN,
              "port=%s job=%u: SetJob(LAST_PAGE_EJECTED) failed: Win32 "
              "error %lu",
              port, job_id, (unsigned long)err);
}

void pwl_hooks_init(pw_lm_hooks *hooks) {
  hooks->ctx = NULL;
  hooks->port_status = port_status;
  hooks->job_done = job_done;
}

/* portway — telling the spooler a job was delivered.
 *
 * A port monitor without a language monitor above it ends a job with
 * SetJob(JOB_CONTROL_SENT_TO_PRINTER); the spooler then completes (or, with
 * "keep printed documents", keeps) the job. The job is already delivered
 * when this runs, so a failure here is logged and never fails EndDocPort. */
#include <stdlib.h>

#include "monitor/front.h"

static void job_delivered(void *ctx, pw_monitor *mon, const char *printer,
                          uint32_t job_id) {
  (void)ctx; /* the instance may be shutting down: use only `mon` */
  WCHAR *wprinter = NULL;
  HANDLE h = NULL;
  DWORD err = ERROR_SUCCESS;
  int rc = pwm_utf8_to_wide(printer, &wprinter, NULL);
  if (rc != PW_OK)
    err = pwm_win32_error(rc);
  else if (!OpenPrinterW(wprinter, &h, NULL))
    err = GetLastError();
  else if (!SetJobW(h, job_id, 0, NULL, JOB_CONTROL_SENT_TO_PRINTER))
    err = GetLastError();
  if (h)
    ClosePrinter(h);
  free(wprinter);
  if (err != ERROR_SUCCESS) {
    char field[256];
    pw_monitor_log(mon, PW_LOG_WARN,
                   "printer=\"%s\" job=%u: SetJob(SENT_TO_PRINTER) failed: "
                   "Win32 error %lu",
                   pw_log_field(field, sizeof field, printer), job_id,
                   (unsigned long)err);
  }
}

void pwm_hooks_init(pw_hooks *hooks) {
  hooks->ctx = NULL;
  hooks->job_delivered = job_delivered;
  /* port_status stays NULL for now: SetPort(PORT_INFO_3) from inside an
   * EndDocPort/StartDocPort call may need the spooler's own port lock on
   * Windows (pjlmon calls it from its own thread), and neither Windows'
   * locking nor SetPort can be tested here (Wine 8.0 has no SetPort for
   * monitor ports). The language monitor's status thread will do it. */
  hooks->port_status = NULL;
}

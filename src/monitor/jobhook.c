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
  if (err != ERROR_SUCCESS)
    pw_monitor_log(mon, PW_LOG_WARN,
                   "printer=\"%s\" job=%u: SetJob(SENT_TO_PRINTER) failed: "
                   "Win32 error %lu",
                   printer, job_id, (unsigned long)err);
}

void pwm_hooks_init(pw_hooks *hooks) {
  hooks->ctx = NULL;
  hooks->job_delivered = job_delivered;
}

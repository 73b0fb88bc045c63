/* monrun — "get-data PORT NAME": GetPrinterDataFromPort(ControlID 0,
 * pValueName NAME) on one port, as the spooler calls it when an
 * application asks GetPrinterData of a queue: OpenPort (OpenPortEx through
 * the language monitor with --lm), a sizing call with cbOutBuffer 0, the
 * call with *lpcbReturned bytes, ClosePort. Prints the answer (a UTF-16
 * string) as one UTF-8 line. */
#include "monrun.h"

#include <stdlib.h>
#include <string.h>

int mr_cmd_get_data(mr_monitor *mon, const wchar_t *port, const wchar_t *name) {
  char e[300], u8[4096];
  mr_monitor *t = mon->lm ? mon->lm : mon;
  if (t->legacy || !t->m2.pfnGetPrinterDataFromPort) {
    mr_err("the monitor has no GetPrinterDataFromPort");
    return MR_EXIT_FAILED;
  }
  HANDLE h = NULL;
  if (!mr_open_port(mon, port, &h)) {
    mr_err("OpenPort failed: %s", mr_errstr(GetLastError(), e, sizeof e));
    return MR_EXIT_FAILED;
  }
  DWORD need = 0;
  SetLastError(ERROR_SUCCESS);
  BOOL ok = t->m2.pfnGetPrinterDataFromPort(h, 0, (LPWSTR)name, NULL, 0, NULL,
                                            0, &need);
  DWORD err = ok ? ERROR_SUCCESS : GetLastError();
  int rc = MR_EXIT_FAILED;
  if (!ok && err != ERROR_INSUFFICIENT_BUFFER) {
    mr_err("GetPrinterDataFromPort(%s) failed: %s", mr_u8(name, u8, sizeof u8),
           mr_errstr(err, e, sizeof e));
  } else if (need == 0 || need > 65536 || need % sizeof(WCHAR)) {
    mr_err("GetPrinterDataFromPort asked for %lu bytes", (unsigned long)need);
  } else {
    WCHAR *buf = calloc(need / sizeof(WCHAR) + 1, sizeof(WCHAR));
    DWORD got = 0;
    if (buf && t->m2.pfnGetPrinterDataFromPort(h, 0, (LPWSTR)name, NULL, 0, buf,
                                               need, &got)) {
      mr_out("%s", mr_u8(buf, u8, sizeof u8));
      rc = MR_EXIT_OK;
    } else {
      mr_err("GetPrinterDataFromPort(%s) failed: %s",
             mr_u8(name, u8, sizeof u8),
             mr_errstr(GetLastError(), e, sizeof e));
    }
    free(buf);
  }
  if (!mr_close_port(mon, h))
    mr_err("ClosePort failed: %s", mr_errstr(GetLastError(), e, sizeof e));
  return rc;
}

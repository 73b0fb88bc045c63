/* pwctl — printer commands: add-printer (AddPrinter level 2 on a port,
 * RAW through winprint) and delete-printer. */
#include "pwctl.h"

#include <stdlib.h>
#include <wchar.h>

/* For an existing printer: the port list it prints to (free()), or NULL
 * with *err set. */
static wchar_t *printer_port(const wchar_t *printer, DWORD *err) {
  HANDLE h;
  DWORD cb = 0;
  wchar_t *port = NULL;
  *err = ERROR_SUCCESS;
  if (!OpenPrinterW((wchar_t *)printer, &h, NULL)) {
    *err = GetLastError();
    return NULL;
  }
  if (!GetPrinterW(h, 2, NULL, 0, &cb) &&
      GetLastError() != ERROR_INSUFFICIENT_BUFFER) {
    *err = GetLastError();
  } else {
    PRINTER_INFO_2W *pi = malloc(cb > 0 ? cb : 1);
    if (pi == NULL)
      *err = ERROR_NOT_ENOUGH_MEMORY;
    else if (!GetPrinterW(h, 2, (BYTE *)pi, cb, &cb))
      *err = GetLastError();
    else
      port = pwctl_concat(pi->pPortName ? pi->pPortName : L"",
                          (const wchar_t *)NULL);
    free(pi);
  }
  ClosePrinter(h);
  if (port == NULL && *err == ERROR_SUCCESS)
    *err = ERROR_NOT_ENOUGH_MEMORY;
  return port;
}

int pwctl_cmd_add_printer(struct pwctl_opts *o) {
  const wchar_t *printer = o->argv[0];
  const wchar_t *port = o->argv[1];
  const wchar_t *driver = o->driver;

  if (printer[0] == L'\0' || port[0] == L'\0')
    return pwctl_usage_error(o, L"printer and port names must not be empty");
  if (wcschr(printer, L',') != NULL)
    return pwctl_usage_error(o, L"printer names cannot contain ','");

  /* Checked first: Wine 8.0's AddPrinter silently overwrites an existing
   * printer (seen: same name, new port) instead of failing with
   * ERROR_PRINTER_ALREADY_EXISTS as Windows does. */
  DWORD err;
  wchar_t *current = printer_port(printer, &err);
  if (current != NULL) {
    int same = pwctl_name_eq(current, port);
    if (same)
      pwctl_note(o, L"printer \"%ls\" already exists on port \"%ls\"", printer,
                 port);
    else
      pwctl_fail(o, ERROR_PRINTER_ALREADY_EXISTS,
                 L"printer \"%ls\" exists on port \"%ls\", not \"%ls\"",
                 printer, current, port);
    free(current);
    return same ? PWCTL_EXIT_OK : PWCTL_EXIT_FAIL;
  }
  if (err != ERROR_INVALID_PRINTER_NAME)
    return pwctl_fail(o, err, L"checking for printer \"%ls\"", printer);

  if (driver == NULL) {
    int rc = pwctl_default_driver(o, &driver);
    if (rc != PWCTL_EXIT_OK)
      return rc;
  }

  PRINTER_INFO_2W pi;
  memset(&pi, 0, sizeof(pi));
  pi.pPrinterName = (wchar_t *)printer;
  pi.pPortName = (wchar_t *)port;
  pi.pDriverName = (wchar_t *)driver;
  pi.pPrintProcessor = L"winprint";
  pi.pDatatype = L"RAW";
  pi.Attributes = PRINTER_ATTRIBUTE_LOCAL;
  pi.Priority = 1;

  HANDLE h = AddPrinterW(NULL, 2, (BYTE *)&pi);
  if (h == NULL)
    return pwctl_fail(o, GetLastError(),
                      L"AddPrinter(\"%ls\" on \"%ls\", driver \"%ls\")",
                      printer, port, driver);
  ClosePrinter(h);
  pwctl_note(o, L"printer \"%ls\" added on port \"%ls\" (driver \"%ls\")",
             printer, port, driver);
  return PWCTL_EXIT_OK;
}

int pwctl_cmd_delete_printer(struct pwctl_opts *o) {
  PRINTER_DEFAULTSW pd = {NULL, NULL, PRINTER_ALL_ACCESS};
  HANDLE h;
  /* A comma would make OpenPrinter open a port or Xcv handle instead;
   * printer names cannot contain one. */
  if (o->argv[0][0] == L'\0' || wcschr(o->argv[0], L',') != NULL)
    return pwctl_usage_error(o, L"not a printer name: '%ls'", o->argv[0]);
  if (!OpenPrinterW(o->argv[0], &h, &pd)) {
    DWORD err = GetLastError();
    if (err == ERROR_INVALID_PRINTER_NAME) {
      pwctl_note(o, L"no printer \"%ls\" (Win32 error %lu)", o->argv[0],
                 (unsigned long)err);
      return PWCTL_EXIT_OK;
    }
    return pwctl_fail(o, err, L"OpenPrinter(\"%ls\")", o->argv[0]);
  }
  int rc = PWCTL_EXIT_OK;
  if (!DeletePrinter(h))
    rc = pwctl_fail(o, GetLastError(), L"DeletePrinter(\"%ls\")", o->argv[0]);
  else
    pwctl_note(o, L"printer \"%ls\" deleted", o->argv[0]);
  ClosePrinter(h);
  return rc;
}

/* pwctl — print: send a file as one RAW job, to a printer or straight to a
 * port.
 *
 * Printer: OpenPrinter(PRINTER) + StartDocPrinter/WritePrinter/EndDocPrinter
 * spools the job; under Wine 8.0 EndDocPrinter then delivers it
 * synchronously through winprint and the port monitor (OpenPort ...
 * ClosePort), so its result is the delivery result.
 * Port: OpenPrinter("PORT, Port") maps the same calls 1:1 onto the monitor's
 * StartDocPort/WritePort/EndDocPort.
 * The file is streamed in 64 KiB pieces, so memory use does not depend on
 * the document size.
 */
#include "pwctl.h"

#include <stdlib.h>
#include <wchar.h>

#define CHUNK (64 * 1024)

static const wchar_t *base_name(const wchar_t *path) {
  const wchar_t *b = path;
  for (const wchar_t *p = path; *p != L'\0'; p++)
    if (*p == L'\\' || *p == L'/' || *p == L':')
      b = p + 1;
  return *b != L'\0' ? b : path;
}

/* Opens `target` as a printer, else as "<target>, Port". *kind receives
 * what was opened, for messages. */
static int open_target(const struct pwctl_opts *o, const wchar_t *target,
                       HANDLE *h, const wchar_t **kind) {
  *h = NULL;
  *kind = L"printer";
  if (wcschr(target, L',') == NULL) {
    if (OpenPrinterW((wchar_t *)target, h, NULL) && *h != NULL)
      return PWCTL_EXIT_OK;
    DWORD err = GetLastError();
    if (err != ERROR_INVALID_PRINTER_NAME)
      return pwctl_fail(o, err, L"OpenPrinter(\"%ls\")", target);
    wchar_t *port = pwctl_concat(target, L", Port", (const wchar_t *)NULL);
    if (port == NULL)
      return pwctl_fail(o, ERROR_NOT_ENOUGH_MEMORY, L"OpenPrinter");
    *kind = L"port";
    BOOL ok = OpenPrinterW(port, h, NULL);
    err = GetLastError();
    free(port);
    if (ok && *h != NULL)
      return PWCTL_EXIT_OK;
    return pwctl_fail(o, err != ERROR_SUCCESS ? err : ERROR_GEN_FAILURE,
                      L"no printer named \"%ls\", and opening it as a port "
                      L"(\"%ls, Port\") failed",
                      target, target);
  }
  /* Already a spooler object name such as "PW1:, Port". */
  *kind = L"object";
  if (OpenPrinterW((wchar_t *)target, h, NULL) && *h != NULL)
    return PWCTL_EXIT_OK;
  return pwctl_fail(o, GetLastError(), L"OpenPrinter(\"%ls\")", target);
}

static int open_source(const struct pwctl_opts *o, const wchar_t *file,
                       HANDLE *src) {
  if (wcscmp(file, L"-") == 0) {
    *src = GetStdHandle(STD_INPUT_HANDLE);
    if (*src == NULL || *src == INVALID_HANDLE_VALUE)
      return pwctl_fail(o, ERROR_INVALID_HANDLE, L"no standard input");
    return PWCTL_EXIT_OK;
  }
  *src = CreateFileW(file, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                     FILE_FLAG_SEQUENTIAL_SCAN, NULL);
  if (*src == INVALID_HANDLE_VALUE)
    return pwctl_fail(o, GetLastError(), L"cannot open %ls", file);
  return PWCTL_EXIT_OK;
}

/* Copies src into the open document. 0 or a Win32 error; *read_err tells
 * whether the error came from reading the source. */
static DWORD copy_job(HANDLE src, HANDLE printer, BYTE *buf,
                      unsigned long long *total, int *read_err) {
  *total = 0;
  *read_err = 0;
  for (;;) {
    DWORD got = 0;
    if (!ReadFile(src, buf, CHUNK, &got, NULL)) {
      DWORD err = GetLastError();
      if (err == ERROR_BROKEN_PIPE) /* end of a pipe on stdin */
        return ERROR_SUCCESS;
      *read_err = 1;
      return err;
    }
    if (got == 0)
      return ERROR_SUCCESS;
    DWORD off = 0;
    while (off < got) {
      DWORD written = 0;
      if (!WritePrinter(printer, buf + off, got - off, &written))
        return GetLastError() != ERROR_SUCCESS ? GetLastError()
                                               : ERROR_WRITE_FAULT;
      if (written == 0 || written > got - off) /* no progress: give up */
        return ERROR_WRITE_FAULT;
      off += written;
    }
    *total += got;
  }
}

int pwctl_cmd_print(struct pwctl_opts *o) {
  const wchar_t *target = o->argv[0];
  const wchar_t *file = o->argv[1];
  const wchar_t *kind;
  HANDLE src, h;
  int rc;

  if (target[0] == L'\0')
    return pwctl_usage_error(o, L"empty printer or port name");
  BYTE *buf = malloc(CHUNK);
  if (buf == NULL)
    return pwctl_fail(o, ERROR_NOT_ENOUGH_MEMORY, L"print");
  rc = open_source(o, file, &src);
  if (rc != PWCTL_EXIT_OK) {
    free(buf);
    return rc;
  }
  rc = open_target(o, target, &h, &kind);
  if (rc != PWCTL_EXIT_OK)
    goto out_src;

  DOC_INFO_1W di;
  di.pDocName = (wchar_t *)(o->doc != NULL            ? o->doc
                            : wcscmp(file, L"-") == 0 ? L"stdin"
                                                      : base_name(file));
  di.pOutputFile = NULL;
  di.pDatatype = L"RAW";
  DWORD job = StartDocPrinterW(h, 1, (BYTE *)&di);
  if (job == 0) {
    rc = pwctl_fail(o, GetLastError(), L"StartDocPrinter on %ls \"%ls\"", kind,
                    target);
    goto out_printer;
  }

  unsigned long long total;
  int read_err;
  DWORD err = copy_job(src, h, buf, &total, &read_err);
  if (err != ERROR_SUCCESS) {
    if (read_err)
      rc = pwctl_fail(o, err, L"reading %ls", file);
    else
      rc = pwctl_fail(o, err, L"WritePrinter to %ls \"%ls\" after %llu bytes",
                      kind, target, total);
    /* Nothing half-written may count as printed. */
    AbortPrinter(h);
    goto out_printer;
  }
  if (!EndDocPrinter(h)) {
    rc = pwctl_fail(o, GetLastError(),
                    L"EndDocPrinter on %ls \"%ls\" (delivery of job %lu, "
                    L"%llu bytes)",
                    kind, target, (unsigned long)job, total);
    goto out_printer;
  }
  pwctl_note(o, L"job %lu: %llu bytes of \"%ls\" printed to %ls \"%ls\"",
             (unsigned long)job, total, di.pDocName, kind, target);

out_printer:
  if (!ClosePrinter(h) && rc == PWCTL_EXIT_OK)
    rc = pwctl_fail(o, GetLastError(), L"ClosePrinter on %ls \"%ls\"", kind,
                    target);
out_src:
  if (src != GetStdHandle(STD_INPUT_HANDLE))
    CloseHandle(src);
  free(buf);
  return rc;
}

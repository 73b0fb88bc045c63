/* pwctl — port commands, spoken to the monitor over the Xcv channel:
 * OpenPrinter(",XcvMonitor <name>") then XcvData(command, input).
 *
 * Input layout (UTF-16LE, as the monitor expects it):
 *   "PORT\0"                 AddPort (default configuration), GetConfig,
 *                            DeletePort
 *   "PORT\0CONFIGTEXT\0"     AddPort with a configuration, SetConfig
 * where CONFIGTEXT is "uri=URI\nkey=value\n..." (include/portway/config.h).
 *
 * XcvData's BOOL only says whether the request reached the monitor; the
 * monitor's answer is in dwStatus. Both are checked.
 */
#include "pwctl.h"

#include "monitor/tcpxcv_compat.h"

#include <stdlib.h>
#include <wchar.h>

/* "key=value": a key of letters, digits, '_', '.', '-' then '='. A device
 * URI never matches because its scheme ends in ':' before any '='. */
static int is_option_arg(const wchar_t *a) {
  const wchar_t *p = a;
  if (!((*p >= L'a' && *p <= L'z') || (*p >= L'A' && *p <= L'Z') || *p == L'_'))
    return 0;
  while ((*p >= L'a' && *p <= L'z') || (*p >= L'A' && *p <= L'Z') ||
         (*p >= L'0' && *p <= L'9') || *p == L'_' || *p == L'.' || *p == L'-')
    p++;
  return *p == L'=';
}

/* Builds "PORT\0" or "PORT\0CONFIGTEXT\0" from argv[0] (the port) and the
 * optional URI / key=value arguments after it. `need_uri`: SetConfig
 * replaces the whole configuration, so a destination is mandatory. */
static int build_input(const struct pwctl_opts *o, int need_uri, BYTE **in,
                       DWORD *cbin) {
  const wchar_t *port = o->argv[0];
  const wchar_t *uri = NULL;
  int has_uri_line = 0;
  size_t text_len = 0;

  *in = NULL;
  *cbin = 0;
  if (port[0] == L'\0')
    return pwctl_usage_error(o, L"the port name must not be empty");
  for (int i = 1; i < o->argc; i++) {
    const wchar_t *a = o->argv[i];
    if (wcspbrk(a, L"\r\n") != NULL)
      return pwctl_usage_error(o, L"argument %d contains a line break", i + 1);
    if (is_option_arg(a)) {
      if (wcsncmp(a, L"uri=", 4) == 0)
        has_uri_line = 1;
      text_len += wcslen(a) + 1;
    } else if (uri == NULL) {
      uri = a;
      text_len += 4 + wcslen(a) + 1;
    } else {
      return pwctl_usage_error(o,
                               L"two destinations given: '%ls' and '%ls' "
                               L"(options are key=value)",
                               uri, a);
    }
  }
  if (need_uri && uri == NULL && !has_uri_line)
    return pwctl_usage_error(o, L"a destination URI is required");

  size_t port_len = wcslen(port);
  size_t units = port_len + 1 + (text_len > 0 ? text_len + 1 : 0);
  if (units * sizeof(wchar_t) > 0x7fffffff)
    return pwctl_usage_error(o, L"arguments too long");
  wchar_t *buf = malloc(units * sizeof(wchar_t));
  if (buf == NULL)
    return pwctl_fail(o, ERROR_NOT_ENOUGH_MEMORY, L"building the request");
  wchar_t *p = buf;
  memcpy(p, port, (port_len + 1) * sizeof(wchar_t));
  p += port_len + 1;
  if (text_len > 0) {
    /* uri= first, as in the canonical text; then options in given order. */
    if (uri != NULL) {
      size_t n = wcslen(uri);
      memcpy(p, L"uri=", 4 * sizeof(wchar_t));
      memcpy(p + 4, uri, n * sizeof(wchar_t));
      p += 4 + n;
      *p++ = L'\n';
    }
    for (int i = 1; i < o->argc; i++) {
      if (!is_option_arg(o->argv[i]))
        continue;
      size_t n = wcslen(o->argv[i]);
      memcpy(p, o->argv[i], n * sizeof(wchar_t));
      p += n;
      *p++ = L'\n';
    }
    *p++ = L'\0';
  }
  *in = (BYTE *)buf;
  *cbin = (DWORD)(units * sizeof(wchar_t));
  return PWCTL_EXIT_OK;
}

int pwctl_xcv_open(const struct pwctl_opts *o, HANDLE *xcv) {
  PRINTER_DEFAULTSW pd = {NULL, NULL, SERVER_ACCESS_ADMINISTER};
  wchar_t *name =
      pwctl_concat(L",XcvMonitor ", o->monitor, (const wchar_t *)NULL);
  if (name == NULL)
    return pwctl_fail(o, ERROR_NOT_ENOUGH_MEMORY, L"OpenPrinter");
  *xcv = NULL;
  BOOL ok = OpenPrinterW(name, xcv, &pd);
  DWORD err = GetLastError();
  free(name);
  if (ok && *xcv != NULL)
    return PWCTL_EXIT_OK;
  if (err == ERROR_SUCCESS)
    err = ERROR_GEN_FAILURE;
  return pwctl_fail(o, err,
                    L"OpenPrinter(\",XcvMonitor %ls\") (is the monitor "
                    L"installed?)",
                    o->monitor);
}

/* One XcvData round trip. Returns PWCTL_EXIT_OK when the request reached
 * the monitor; its answer is in *status. */
static int xcv_call(const struct pwctl_opts *o, HANDLE xcv,
                    const wchar_t *command, const wchar_t *port, BYTE *in,
                    DWORD cbin, BYTE *out, DWORD cbout, DWORD *needed,
                    DWORD *status) {
  *needed = 0;
  *status = ERROR_GEN_FAILURE;
  if (!XcvDataW(xcv, command, in, cbin, out, cbout, needed, status))
    return pwctl_fail(o, GetLastError(), L"XcvData(%ls, \"%ls\")", command,
                      port);
  return PWCTL_EXIT_OK;
}

/* Runs a command that returns no data; reports the monitor's status. */
static int xcv_simple(const struct pwctl_opts *o, HANDLE xcv,
                      const wchar_t *command, const wchar_t *port, BYTE *in,
                      DWORD cbin) {
  DWORD needed, status;
  int rc = xcv_call(o, xcv, command, port, in, cbin, NULL, 0, &needed, &status);
  if (rc != PWCTL_EXIT_OK)
    return rc;
  if (status != ERROR_SUCCESS)
    return pwctl_fail(o, status, L"monitor \"%ls\" refused %ls \"%ls\"",
                      o->monitor, command, port);
  pwctl_note(o, L"%ls \"%ls\": ok", command, port);
  return PWCTL_EXIT_OK;
}

int pwctl_xcv_delete_port(const struct pwctl_opts *o, HANDLE xcv,
                          const wchar_t *port) {
  DWORD cb = (DWORD)((wcslen(port) + 1) * sizeof(wchar_t));
  return xcv_simple(o, xcv, L"DeletePort", port, (BYTE *)port, cb);
}

/* add-port and set-port differ only in the command name and whether a
 * destination is mandatory. */
static int send_config(struct pwctl_opts *o, const wchar_t *command,
                       int need_uri) {
  BYTE *in;
  DWORD cbin;
  HANDLE xcv;
  int rc = build_input(o, need_uri, &in, &cbin);
  if (rc != PWCTL_EXIT_OK)
    return rc;
  rc = pwctl_xcv_open(o, &xcv);
  if (rc == PWCTL_EXIT_OK) {
    rc = xcv_simple(o, xcv, command, o->argv[0], in, cbin);
    ClosePrinter(xcv);
  }
  free(in);
  return rc;
}

int pwctl_cmd_add_port(struct pwctl_opts *o) {
  return send_config(o, L"AddPort", 0);
}

int pwctl_cmd_set_port(struct pwctl_opts *o) {
  return send_config(o, L"SetConfig", 1);
}

int pwctl_cmd_delete_port(struct pwctl_opts *o) {
  HANDLE xcv;
  int rc = pwctl_xcv_open(o, &xcv);
  if (rc != PWCTL_EXIT_OK)
    return rc;
  rc = pwctl_xcv_delete_port(o, xcv, o->argv[0]);
  ClosePrinter(xcv);
  return rc;
}

/* Prints UTF-16LE text returned by GetConfig, which must be even-sized and
 * NUL-terminated within what the monitor said it wrote. */
static int print_config(const struct pwctl_opts *o, const BYTE *buf, DWORD cb) {
  size_t units = cb / sizeof(wchar_t);
  const wchar_t *text = (const wchar_t *)buf;
  size_t len = 0;
  if (cb % sizeof(wchar_t) != 0)
    return pwctl_fail(o, ERROR_INVALID_DATA,
                      L"GetConfig returned an odd byte count (%lu)",
                      (unsigned long)cb);
  while (len < units && text[len] != L'\0')
    len++;
  if (len == units)
    return pwctl_fail(o, ERROR_INVALID_DATA,
                      L"GetConfig returned text without a terminator");
  pwctl_write(text);
  if (len > 0 && text[len - 1] != L'\n')
    pwctl_write(L"\n");
  return PWCTL_EXIT_OK;
}

int pwctl_cmd_get_port(struct pwctl_opts *o) {
  const wchar_t *port = o->argv[0];
  DWORD cbin = (DWORD)((wcslen(port) + 1) * sizeof(wchar_t));
  HANDLE xcv;
  BYTE *out = NULL;
  DWORD cbout = 0, needed, status;

  int rc = pwctl_xcv_open(o, &xcv);
  if (rc != PWCTL_EXIT_OK)
    return rc;
  /* Sizing probe first (no buffer), then the real call; repeated a few
   * times in case the configuration grows in between. */
  int attempt;
  for (attempt = 0; attempt < 4; attempt++) {
    rc = xcv_call(o, xcv, L"GetConfig", port, (BYTE *)port, cbin, out, cbout,
                  &needed, &status);
    if (rc != PWCTL_EXIT_OK)
      break;
    if (status == ERROR_SUCCESS) {
      if (out == NULL)
        rc = pwctl_fail(o, ERROR_INVALID_DATA,
                        L"GetConfig \"%ls\" succeeded without a buffer", port);
      else
        rc =
            print_config(o, out, needed > 0 && needed < cbout ? needed : cbout);
      break;
    }
    if ((status != ERROR_INSUFFICIENT_BUFFER && status != ERROR_MORE_DATA) ||
        needed <= cbout) {
      rc = pwctl_fail(o, status, L"monitor \"%ls\" refused GetConfig \"%ls\"",
                      o->monitor, port);
      break;
    }
    pwctl_note(o, L"GetConfig \"%ls\" needs %lu bytes", port,
               (unsigned long)needed);
    free(out);
    cbout = needed;
    out = malloc(cbout);
    if (out == NULL) {
      rc = pwctl_fail(o, ERROR_NOT_ENOUGH_MEMORY, L"GetConfig");
      break;
    }
  }
  if (attempt == 4)
    rc = pwctl_fail(o, status, L"GetConfig \"%ls\" kept growing", port);
  free(out);
  ClosePrinter(xcv);
  return rc;
}

/* set-loglevel LEVEL: the monitor-wide log level (off, error, warn, info,
 * debug), sent as "loglevel=LEVEL" to SetMonitorConfig; the monitor checks
 * the value. */
int pwctl_cmd_set_loglevel(struct pwctl_opts *o) {
  const wchar_t *level = o->argv[0];
  if (wcspbrk(level, L"\r\n=") != NULL || level[0] == L'\0')
    return pwctl_usage_error(o, L"bad log level '%ls'", level);
  wchar_t *text = pwctl_concat(L"loglevel=", level, (const wchar_t *)NULL);
  if (text == NULL)
    return pwctl_fail(o, ERROR_NOT_ENOUGH_MEMORY, L"set-loglevel");
  HANDLE xcv;
  int rc = pwctl_xcv_open(o, &xcv);
  if (rc == PWCTL_EXIT_OK) {
    rc = xcv_simple(o, xcv, L"SetMonitorConfig", level, (BYTE *)text,
                    (DWORD)((wcslen(text) + 1) * sizeof(wchar_t)));
    ClosePrinter(xcv);
  }
  free(text);
  return rc;
}

/* test-port PORT: the monitor tries the port's destination without
 * printing (connect and hang up; a file port's folder is writable) and
 * answers one line, printed as "PORT: ok: ..." or "PORT: failed: ...". */
int pwctl_cmd_test_port(struct pwctl_opts *o) {
  const wchar_t *port = o->argv[0];
  DWORD cbin = (DWORD)((wcslen(port) + 1) * sizeof(wchar_t));
  HANDLE xcv;
  wchar_t verdict[1024];
  DWORD needed = 0, status = ERROR_GEN_FAILURE;
  int rc = pwctl_xcv_open(o, &xcv);
  if (rc != PWCTL_EXIT_OK)
    return rc;
  verdict[0] = L'\0';
  rc = xcv_call(o, xcv, L"TestPort", port, (BYTE *)port, cbin, (BYTE *)verdict,
                (DWORD)sizeof verdict, &needed, &status);
  ClosePrinter(xcv);
  if (rc != PWCTL_EXIT_OK)
    return rc;
  verdict[sizeof verdict / sizeof verdict[0] - 1] = L'\0';
  if (status == ERROR_SUCCESS) {
    pwctl_out(L"%ls: ok: %ls\n", port, verdict);
    return PWCTL_EXIT_OK;
  }
  if (verdict[0])
    pwctl_out(L"%ls: failed: %ls\n", port, verdict);
  return pwctl_fail(o, status, L"port \"%ls\" did not pass the test", port);
}

/* add-tcpip-port PORT HOST [NUMBER] [QUEUE]: the Standard TCP/IP Port
 * monitor's way (Xcv "AddPort" with a PORT_DATA_1), so scripts written for
 * it can be tried against portway. With a QUEUE the port is LPR (byte
 * counting on, as tcpmon's "LPR Byte Counting Enabled"), otherwise RAW. */
int pwctl_cmd_add_tcpip_port(struct pwctl_opts *o) {
  const wchar_t *port = o->argv[0], *host = o->argv[1];
  const wchar_t *number = o->argc > 2 ? o->argv[2] : NULL;
  const wchar_t *queue = o->argc > 3 ? o->argv[3] : NULL;
  PWT_PORT_DATA_1 pd;
  memset(&pd, 0, sizeof pd);
  if (wcslen(port) >= ARRAYSIZE(pd.sztPortName) ||
      wcslen(host) >= ARRAYSIZE(pd.sztHostAddress) ||
      (queue && wcslen(queue) >= ARRAYSIZE(pd.sztQueue)))
    return pwctl_usage_error(o, L"add-tcpip-port: a name is too long for "
                                L"PORT_DATA_1");
  unsigned long n = 0;
  if (number) {
    wchar_t *end = NULL;
    n = wcstoul(number, &end, 10);
    if (!*number || *end || n > 65535)
      return pwctl_usage_error(o, L"add-tcpip-port: bad port number \"%ls\"",
                               number);
  }
  wcscpy(pd.sztPortName, port);
  wcscpy(pd.sztHostAddress, host);
  pd.dwVersion = 1;
  pd.cbSize = sizeof pd;
  pd.dwProtocol = queue ? PWT_PROTOCOL_LPR_TYPE : PWT_PROTOCOL_RAWTCP_TYPE;
  pd.dwPortNumber = (DWORD)n;
  if (queue) {
    wcscpy(pd.sztQueue, queue);
    pd.dwDoubleSpool = 1;
  }
  HANDLE xcv;
  int rc = pwctl_xcv_open(o, &xcv);
  if (rc != PWCTL_EXIT_OK)
    return rc;
  rc = xcv_simple(o, xcv, L"AddPort", port, (BYTE *)&pd, (DWORD)sizeof pd);
  ClosePrinter(xcv);
  return rc;
}

/* monrun — Xcv helpers: the port-management commands a UI DLL sends through
 * OpenPrinter(",XcvMonitor ...") + XcvData, and a raw Xcv call for scripts.
 *
 * Port commands use the monitor-level Xcv handle (pszObject L"") opened with
 * SERVER_ACCESS_ADMINISTER, like AddPortUI. Inputs are UTF-16LE strings:
 *   AddPort    "NAME\0" or "NAME\0CONFIG\0"
 *   SetConfig  "NAME\0CONFIG\0"
 *   GetConfig  "NAME\0"           -> UTF-16LE config text
 *   DeletePort "NAME\0"
 */
#include "monrun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

typedef struct xcv_buf {
  BYTE *data;
  DWORD len;
} xcv_buf;

/* Build "a\0" or "a\0b\0" as UTF-16LE bytes. */
static int pack_strings(const wchar_t *a, const wchar_t *b, xcv_buf *out) {
  size_t la = wcslen(a) + 1, lb = b ? wcslen(b) + 1 : 0;
  size_t bytes = (la + lb) * sizeof(wchar_t);
  if (bytes > 0x7fffffffu)
    return -1;
  out->data = malloc(bytes);
  if (!out->data)
    return -1;
  memcpy(out->data, a, la * sizeof(wchar_t));
  if (b)
    memcpy(out->data + la * sizeof(wchar_t), b, lb * sizeof(wchar_t));
  out->len = (DWORD)bytes;
  return 0;
}

static int open_xcv(mr_monitor *mon, const wchar_t *object, ACCESS_MASK acc,
                    HANDLE *h) {
  char e[300], u8[300];
  if (!mr_has_xcv(mon)) {
    mr_err("the monitor has no Xcv interface (XcvOpenPort/XcvDataPort/"
           "XcvClosePort)");
    return MR_EXIT_FAILED;
  }
  BOOL ok = mr_xcv_open(mon, object, acc, h);
  DWORD code = GetLastError();
  /* Wine's spooler judges by the handle, Windows by the BOOL: a monitor
   * must agree with itself. */
  if (ok && !*h)
    mr_warn_once("XcvOpenPort returned TRUE but left *phXcv NULL");
  if (!ok && *h)
    mr_warn_once("XcvOpenPort returned FALSE but wrote a handle");
  if (!ok || !*h) {
    mr_err("XcvOpenPort(\"%s\") failed: %s", mr_u8(object, u8, sizeof u8),
           mr_errstr(code, e, sizeof e));
    return MR_EXIT_FAILED;
  }
  return MR_EXIT_OK;
}

static void close_xcv(mr_monitor *mon, HANDLE h) {
  char e[300];
  if (!mr_xcv_close(mon, h))
    mr_warn_once("XcvClosePort failed: %s",
                 mr_errstr(GetLastError(), e, sizeof e));
}

/* One XcvData exchange; with out != NULL the output is sized with a probe
 * (cbOutputData 0) and read with the size the monitor asked for. */
static DWORD xcv_exchange(mr_monitor *mon, HANDLE h, const wchar_t *cmd,
                          const xcv_buf *in, DWORD first_size, int retry,
                          xcv_buf *out) {
  BYTE probe[1];
  DWORD needed = 0, status;
  DWORD cb = out ? first_size : 0;
  BYTE *buf = (out && cb) ? malloc(cb) : NULL;
  if (out && cb && !buf)
    return ERROR_NOT_ENOUGH_MEMORY;
  /* No output wanted: NULL/0 as a UI DLL sends it. Sizing probe: a valid
   * pointer with size 0 (some monitors reject a NULL output buffer). */
  status = mr_xcv_data(mon, h, cmd, in ? in->data : NULL, in ? in->len : 0,
                       buf   ? buf
                       : out ? probe
                             : NULL,
                       cb, &needed);
  if (out && retry && status == ERROR_INSUFFICIENT_BUFFER) {
    if (needed <= cb || needed > 64u * 1024 * 1024) {
      char u8[100];
      mr_warn_once("Xcv %s: ERROR_INSUFFICIENT_BUFFER with *pcbOutputNeeded "
                   "%lu for %lu bytes",
                   mr_u8(cmd, u8, sizeof u8), (unsigned long)needed,
                   (unsigned long)cb);
    } else {
      free(buf);
      cb = needed;
      buf = malloc(cb);
      if (!buf)
        return ERROR_NOT_ENOUGH_MEMORY;
      status = mr_xcv_data(mon, h, cmd, in ? in->data : NULL, in ? in->len : 0,
                           buf, cb, &needed);
    }
  }
  if (out) {
    out->data = buf;
    out->len = (status == ERROR_SUCCESS) ? (needed < cb ? needed : cb) : 0;
  } else {
    free(buf);
  }
  return status;
}

/* Open the monitor-level handle, run one command, close. */
static int simple_command(mr_monitor *mon, const wchar_t *cmd, const wchar_t *a,
                          const wchar_t *b, xcv_buf *out) {
  char e[300], u8[100], n8[300];
  xcv_buf in = {0};
  HANDLE h = NULL;
  if (pack_strings(a, b, &in) != 0) {
    mr_err("out of memory");
    return MR_EXIT_FAILED;
  }
  int rc = open_xcv(mon, L"", SERVER_ACCESS_ADMINISTER, &h);
  if (rc == MR_EXIT_OK) {
    DWORD status = xcv_exchange(mon, h, cmd, &in, 0, 1, out);
    if (status != ERROR_SUCCESS) {
      mr_err("Xcv %s(%s) failed: %s", mr_u8(cmd, u8, sizeof u8),
             mr_u8(a, n8, sizeof n8), mr_errstr(status, e, sizeof e));
      rc = MR_EXIT_FAILED;
    }
    close_xcv(mon, h);
  }
  free(in.data);
  return rc;
}

/* Print UTF-16LE output as text, or hex when it is not text. */
static void print_output(const xcv_buf *out) {
  if (!out->data || out->len == 0)
    return;
  int text = (out->len % 2) == 0;
  size_t n = out->len / 2;
  const wchar_t *w = (const wchar_t *)out->data;
  while (text && n > 0 && w[n - 1] == 0)
    n--; /* trailing terminator(s) */
  for (size_t i = 0; text && i < n; i++)
    if (w[i] < 0x20 && w[i] != L'\n' && w[i] != L'\r' && w[i] != L'\t')
      text = 0;
  if (text && n > 0) {
    wchar_t *copy = malloc((n + 1) * sizeof *copy);
    int len8 = 0;
    char *u8 = NULL;
    if (copy) {
      memcpy(copy, w, n * sizeof *copy);
      copy[n] = 0;
      len8 = WideCharToMultiByte(CP_UTF8, 0, copy, -1, NULL, 0, NULL, NULL);
      u8 = len8 > 0 ? malloc((size_t)len8) : NULL;
      if (u8)
        WideCharToMultiByte(CP_UTF8, 0, copy, -1, u8, len8, NULL, NULL);
    }
    if (u8) {
      /* Drop one trailing newline: mr_out adds its own. */
      size_t l = strlen(u8);
      if (l > 0 && u8[l - 1] == '\n')
        u8[--l] = 0;
      if (l > 0 && u8[l - 1] == '\r')
        u8[--l] = 0;
      mr_out("%s", u8);
    }
    free(u8);
    free(copy);
    return;
  }
  if (out->len == sizeof(DWORD)) {
    DWORD v;
    memcpy(&v, out->data, sizeof v);
    mr_out("dword %lu", (unsigned long)v);
    return;
  }
  char line[3 * 32 + 1];
  for (DWORD off = 0; off < out->len; off += 32) {
    size_t pos = 0;
    for (DWORD i = off; i < out->len && i < off + 32; i++)
      pos +=
          (size_t)snprintf(line + pos, sizeof line - pos, "%02x", out->data[i]);
    mr_out("%s", line);
  }
}

wchar_t *mr_join_config(wchar_t **args, int n) {
  size_t total = 1;
  if (n <= 0)
    return NULL;
  for (int i = 0; i < n; i++)
    total += wcslen(args[i]) + 1;
  wchar_t *s = malloc(total * sizeof *s), *p = s;
  if (!s)
    return NULL;
  for (int i = 0; i < n; i++) {
    for (const wchar_t *q = args[i]; *q; q++) {
      /* A literal backslash-n from the shell becomes a line break. */
      if (q[0] == L'\\' && q[1] == L'n') {
        *p++ = L'\n';
        q++;
      } else {
        *p++ = *q;
      }
    }
    if (i + 1 < n)
      *p++ = L'\n';
  }
  *p = 0;
  return s;
}

int mr_cmd_add_port(mr_monitor *mon, const wchar_t *name,
                    const wchar_t *config) {
  char e[300], u8[300];
  if (mr_has_xcv(mon)) {
    int rc = simple_command(mon, L"AddPort", name, config, NULL);
    if (rc == MR_EXIT_OK)
      mr_info(1, "added port %s", mr_u8(name, u8, sizeof u8));
    return rc;
  }
  if (!mr_has_add_port_ex(mon)) {
    mr_err("the monitor has neither Xcv nor AddPortEx");
    return MR_EXIT_FAILED;
  }
  if (config) {
    mr_err("AddPortEx takes no configuration text");
    return MR_EXIT_USAGE;
  }
  if (!mr_add_port_ex(mon, name)) {
    mr_err("AddPortEx(%s) failed: %s", mr_u8(name, u8, sizeof u8),
           mr_errstr(GetLastError(), e, sizeof e));
    return MR_EXIT_FAILED;
  }
  return MR_EXIT_OK;
}

int mr_cmd_set_port(mr_monitor *mon, const wchar_t *name,
                    const wchar_t *config) {
  return simple_command(mon, L"SetConfig", name, config, NULL);
}

int mr_cmd_get_port(mr_monitor *mon, const wchar_t *name) {
  xcv_buf out = {0};
  int rc = simple_command(mon, L"GetConfig", name, NULL, &out);
  if (rc == MR_EXIT_OK)
    print_output(&out);
  free(out.data);
  return rc;
}

int mr_cmd_delete_port(mr_monitor *mon, const wchar_t *name) {
  return simple_command(mon, L"DeletePort", name, NULL, NULL);
}

/* Raw input: text with escapes \0 \n \t \\ (a terminating NUL is added),
 * or --input-hex bytes exactly as given. */
static int raw_input(const mr_opts *o, const wchar_t *text, xcv_buf *in) {
  memset(in, 0, sizeof *in);
  if (o->input_hex) {
    size_t n = wcslen(o->input_hex);
    if (n % 2 || n / 2 > 0x7fffffffu)
      return -1;
    in->data = malloc(n / 2 + 1);
    if (!in->data)
      return -1;
    for (size_t i = 0; i < n; i += 2) {
      wchar_t hx[3] = {o->input_hex[i], o->input_hex[i + 1], 0};
      wchar_t *end;
      if (!iswxdigit(hx[0]) || !iswxdigit(hx[1]))
        return -1;
      in->data[i / 2] = (BYTE)wcstoul(hx, &end, 16);
    }
    in->len = (DWORD)(n / 2);
    return 0;
  }
  if (!text)
    return 0;
  size_t n = wcslen(text);
  wchar_t *w = malloc((n + 1) * sizeof *w), *p = w;
  if (!w)
    return -1;
  for (const wchar_t *q = text; *q; q++) {
    if (q[0] == L'\\' && q[1]) {
      q++;
      *p++ = *q == L'0' ? 0 : *q == L'n' ? L'\n' : *q == L't' ? L'\t' : *q;
    } else {
      *p++ = *q;
    }
  }
  *p++ = 0;
  in->data = (BYTE *)w;
  in->len = (DWORD)((size_t)(p - w) * sizeof *w);
  return 0;
}

int mr_cmd_xcv(mr_monitor *mon, const mr_opts *o, const wchar_t *object,
               const wchar_t *cmd, const wchar_t *input) {
  char e[300], u8[100];
  xcv_buf in, out = {0};
  HANDLE h = NULL;
  if (raw_input(o, input, &in) != 0) {
    free(in.data);
    mr_err("bad --input-hex (pairs of hex digits expected)");
    return MR_EXIT_USAGE;
  }
  if (o->out_size > 64u * 1024 * 1024) {
    free(in.data);
    mr_err("--out-size too large");
    return MR_EXIT_USAGE;
  }
  ACCESS_MASK acc =
      o->user ? SERVER_ACCESS_ENUMERATE : SERVER_ACCESS_ADMINISTER;
  int rc = open_xcv(mon, object, acc, &h);
  if (rc == MR_EXIT_OK) {
    DWORD status =
        xcv_exchange(mon, h, cmd, (input || o->input_hex) ? &in : NULL,
                     (DWORD)o->out_size, !o->no_retry, &out);
    if (status == ERROR_SUCCESS) {
      print_output(&out);
    } else {
      mr_err("Xcv %s failed: %s", mr_u8(cmd, u8, sizeof u8),
             mr_errstr(status, e, sizeof e));
      rc = MR_EXIT_FAILED;
    }
    close_xcv(mon, h);
  }
  free(in.data);
  free(out.data);
  return rc;
}

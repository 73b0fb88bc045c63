/* portwayui.dll — the port monitor UI DLL: InitializePrintMonitorUI and the
 * three entry points of its MONITORUI. The spooler's AddPort, ConfigurePort
 * and DeletePort call them in the client's process (Wine 8.0 too: through
 * Xcv "MonitorUI", see wine-spooler-notes.md).
 *
 * Contract (learn.microsoft.com, winsplp.h pages AddPortUI, ConfigurePortUI,
 * DeletePortUI): hWnd NULL means no dialog may be shown; an operation the
 * user cancels "or is unsupported" returns FALSE with ERROR_CANCELLED. So a
 * NULL hWnd gives FALSE + ERROR_CANCELLED and no window at all. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "resource.h"
#include "ui.h"

#include <winsplp.h> /* after windows.h (ui.h) */

HINSTANCE ui_hinst;

/* ---- the scope of one dialog: common controls v6, per-monitor DPI ---- */

typedef struct ui_scope {
  HANDLE actctx;
  ULONG_PTR cookie;
  HANDLE olddpi;
  int dpi_set;
} ui_scope;

typedef HANDLE(WINAPI *set_dpi_ctx_fn)(HANDLE);

static void scope_enter(ui_scope *s) {
  memset(s, 0, sizeof *s);
  /* The DLL's manifest (resource 2): comctl32 v6 for our dialogs, whatever
   * the host process uses. */
  ACTCTXW ac = {0};
  ac.cbSize = sizeof ac;
  ac.dwFlags = ACTCTX_FLAG_HMODULE_VALID | ACTCTX_FLAG_RESOURCE_NAME_VALID;
  ac.hModule = ui_hinst;
  ac.lpResourceName = MAKEINTRESOURCEW(2);
  s->actctx = CreateActCtxW(&ac);
  if (s->actctx == INVALID_HANDLE_VALUE)
    s->actctx = NULL;
  else if (!ActivateActCtx(s->actctx, &s->cookie))
    s->cookie = 0;
  /* Per-monitor v2 for the dialog's thread where Windows has it (1703+):
   * the dialog then scales with the monitor it is on. Looked up, not
   * imported, so the DLL still loads where the function is missing. */
  HMODULE user32 = GetModuleHandleW(L"user32.dll");
  FARPROC p =
      user32 ? GetProcAddress(user32, "SetThreadDpiAwarenessContext") : NULL;
  if (p) {
    set_dpi_ctx_fn set = (set_dpi_ctx_fn)(void (*)(void))p;
    s->olddpi = set((HANDLE)(LONG_PTR)-4); /* PER_MONITOR_AWARE_V2 */
    s->dpi_set = s->olddpi != NULL;
  }
}

static void scope_leave(ui_scope *s) {
  if (s->dpi_set) {
    HMODULE user32 = GetModuleHandleW(L"user32.dll");
    FARPROC p = GetProcAddress(user32, "SetThreadDpiAwarenessContext");
    if (p)
      ((set_dpi_ctx_fn)(void (*)(void))p)(s->olddpi);
  }
  if (s->cookie)
    DeactivateActCtx(0, s->cookie);
  if (s->actctx)
    ReleaseActCtx(s->actctx);
}

static BOOL fail(DWORD err) {
  SetLastError(err);
  return FALSE;
}

static void message(HWND parent, UINT title_id, const wchar_t *text, UINT flags,
                    int *answer) {
  wchar_t title[200];
  ui_string(title, 200, title_id, NULL, 0);
  int a = MessageBoxW(parent, text, title, flags);
  if (answer)
    *answer = a;
}

/* ---- AddPortUI / ConfigurePortUI ---- */

static BOOL run_form(const wchar_t *server, HWND hwnd, ui_ctx *c,
                     PWSTR *name_out) {
  ui_scope scope;
  scope_enter(&scope);
  INT_PTR r = ui_run_form(hwnd, c);
  DWORD err = r == -1 ? GetLastError() : 0;
  scope_leave(&scope);
  (void)server;
  ui_xcv_close(&c->xcv);
  if (r == -1)
    return fail(err ? err : ERROR_CANCELLED);
  if (r != IDOK)
    return fail(ERROR_CANCELLED);
  if (name_out) {
    /* The docs name no allocator (AddPortUI page: "a location to receive a
     * port name string"); LocalAlloc memory lives in the process heap, so
     * it outlives this DLL, which the spooler unloads right after the
     * call. The caller frees it with LocalFree. */
    size_t bytes = (wcslen(c->name) + 1) * sizeof(wchar_t);
    PWSTR copy = LocalAlloc(LMEM_FIXED, bytes);
    if (!copy)
      return fail(ERROR_NOT_ENOUGH_MEMORY);
    memcpy(copy, c->name, bytes);
    *name_out = copy;
  }
  SetLastError(ERROR_SUCCESS);
  return TRUE;
}

static BOOL WINAPI ui_AddPortUI(PCWSTR server, HWND hwnd, PCWSTR monitor,
                                PWSTR *name_out) {
  if (name_out)
    *name_out = NULL;
  if (!hwnd)
    return fail(ERROR_CANCELLED); /* no dialogs: unsupported */
  ui_ctx *c = calloc(1, sizeof *c);
  if (!c)
    return fail(ERROR_NOT_ENOUGH_MEMORY);
  const wchar_t *mon = monitor && monitor[0] ? monitor : UI_MONITOR_DEFAULT;
  DWORD err = ui_xcv_open(server, L"XcvMonitor", mon, 0, &c->xcv);
  if (err) {
    wchar_t text[UI_TEXT_MAX];
    ui_error_text(err, text, UI_TEXT_MAX);
    message(hwnd, IDS_TITLE_ADD, text, MB_OK | MB_ICONERROR, NULL);
    free(c);
    return fail(err);
  }
  BOOL ok = run_form(server, hwnd, c, name_out);
  DWORD last = GetLastError();
  free(c);
  SetLastError(last);
  return ok;
}

static BOOL WINAPI ui_ConfigurePortUI(PCWSTR server, HWND hwnd, PCWSTR port) {
  if (!port || !port[0] || wcslen(port) >= UI_NAME_MAX)
    return fail(ERROR_INVALID_PARAMETER);
  if (!hwnd)
    return fail(ERROR_CANCELLED);
  ui_ctx *c = calloc(1, sizeof *c);
  if (!c)
    return fail(ERROR_NOT_ENOUGH_MEMORY);
  c->configure = 1;
  wcscpy(c->name, port);
  DWORD err = ui_xcv_open(server, L"XcvPort", port, 1, &c->xcv);
  if (err) {
    wchar_t text[UI_TEXT_MAX];
    ui_error_text(err, text, UI_TEXT_MAX);
    message(hwnd, IDS_APP, text, MB_OK | MB_ICONERROR, NULL);
    free(c);
    return fail(err);
  }
  BOOL ok = run_form(server, hwnd, c, NULL);
  DWORD last = GetLastError();
  free(c);
  SetLastError(last);
  return ok;
}

/* ---- DeletePortUI ---- */

/* The first local printer whose port list names `port` (the spooler's own
 * answer to "is it in use"), into printer[]; 0 if none. */
static int printer_on_port(const wchar_t *server, const wchar_t *port,
                           wchar_t *printer, size_t cap) {
  DWORD needed = 0, count = 0;
  EnumPrintersW(PRINTER_ENUM_LOCAL, (LPWSTR)server, 2, NULL, 0, &needed,
                &count);
  if (!needed)
    return 0;
  BYTE *buf = malloc(needed);
  if (!buf)
    return 0;
  int found = 0;
  if (EnumPrintersW(PRINTER_ENUM_LOCAL, (LPWSTR)server, 2, buf, needed, &needed,
                    &count)) {
    const PRINTER_INFO_2W *pi = (const PRINTER_INFO_2W *)buf;
    for (DWORD i = 0; i < count && !found; i++) {
      const wchar_t *list = pi[i].pPortName ? pi[i].pPortName : L"";
      size_t n = wcslen(port);
      for (const wchar_t *p = list; *p && !found;) {
        while (*p == L' ' || *p == L',')
          p++;
        const wchar_t *end = wcschr(p, L',');
        size_t len = end ? (size_t)(end - p) : wcslen(p);
        while (len && p[len - 1] == L' ')
          len--;
        if (len == n && _wcsnicmp(p, port, n) == 0) {
          lstrcpynW(printer, pi[i].pPrinterName, (int)cap);
          found = 1;
        }
        p += end ? (size_t)(end - p) : wcslen(p);
      }
    }
  }
  free(buf);
  return found;
}

static BOOL WINAPI ui_DeletePortUI(PCWSTR server, HWND hwnd, PCWSTR port) {
  if (!port || !port[0] || wcslen(port) >= UI_NAME_MAX)
    return fail(ERROR_INVALID_PARAMETER);
  if (!hwnd)
    return fail(ERROR_CANCELLED);
  ui_scope scope;
  scope_enter(&scope);
  wchar_t text[UI_TEXT_MAX], why[UI_TEXT_MAX], printer[260];
  const wchar_t *args[] = {port, printer};
  DWORD result = ERROR_SUCCESS;
  int answer = IDNO;
  ui_string(text, UI_TEXT_MAX, IDS_CONFIRM_DELETE, args, 1);
  message(hwnd, IDS_TITLE_DELETE, text,
          MB_YESNO | MB_ICONWARNING | MB_DEFBUTTON2, &answer);
  if (answer != IDYES) {
    result = ERROR_CANCELLED;
  } else if (printer_on_port(server, port, printer, 260)) {
    ui_string(text, UI_TEXT_MAX, IDS_IN_USE, args, 2);
    message(hwnd, IDS_TITLE_DELETE, text, MB_OK | MB_ICONERROR, NULL);
    result = ERROR_BUSY;
  } else {
    ui_xcv x;
    DWORD status = 0;
    result = ui_xcv_open(server, L"XcvPort", port, 0, &x);
    if (!result) {
      result = ui_xcv_call(&x, L"DeletePort", port, NULL, NULL, NULL, &status);
      ui_xcv_close(&x);
      if (!result)
        result = status;
    }
    if (result) {
      ui_error_text(result, why, UI_TEXT_MAX);
      const wchar_t *a2[] = {port, why};
      ui_string(text, UI_TEXT_MAX, IDS_DELETE_FAILED, a2, 2);
      message(hwnd, IDS_TITLE_DELETE, text, MB_OK | MB_ICONERROR, NULL);
    }
  }
  scope_leave(&scope);
  if (result)
    return fail(result);
  SetLastError(ERROR_SUCCESS);
  return TRUE;
}

/* ---- the export ---- */

static MONITORUI ui_table = {
    sizeof(MONITORUI), ui_AddPortUI, /* pfnAddPortUI */
    ui_ConfigurePortUI,              /* pfnConfigurePortUI */
    ui_DeletePortUI,                 /* pfnDeletePortUI */
};

PMONITORUI WINAPI InitializePrintMonitorUI(VOID) {
  return &ui_table;
}

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved);
BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved) {
  (void)reserved;
  if (reason == DLL_PROCESS_ATTACH) {
    ui_hinst = inst;
    DisableThreadLibraryCalls(inst);
  }
  return TRUE;
}

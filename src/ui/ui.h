/* portwayui.dll — the port monitor UI DLL's parts (see docs/port-ui.md).
 *
 *   dllmain.c    InitializePrintMonitorUI, AddPortUI, ConfigurePortUI,
 *                DeletePortUI; the activation context and DPI scope
 *   form.c       the Add / Configure Port dialog over core/ui_form.h
 *   xcvclient.c  OpenPrinter(",XcvMonitor"/",XcvPort") + XcvData
 *   text.c       strings from the STRINGTABLE, UTF-8 <-> UTF-16, the
 *                server's answers in words
 *
 * The server is reached only through the spooler's public API (winspool).
 */
#ifndef PORTWAYUI_UI_H
#define PORTWAYUI_UI_H

#include <windows.h>
#include <winspool.h>

#include "core/ui_form.h"

#define UI_MONITOR_DEFAULT L"portway"
#define UI_NAME_MAX 64 /* UTF-16 units of a port name, with the NUL */
#define UI_TEXT_MAX 1024

extern HINSTANCE ui_hinst;

/* ---- text.c ---- */
/* The string `id` with each "%s" replaced by the next of args[0..nargs). */
void ui_string(wchar_t *out, size_t cap, UINT id, const wchar_t *const *args,
               size_t nargs);
/* 1 on success; out always NUL-terminated. */
int ui_to_utf8(const wchar_t *w, char *out, size_t cap);
int ui_to_wide(const char *s, wchar_t *out, size_t cap);
/* A server's (or the spooler's) Win32 answer in words, never a number. */
void ui_error_text(DWORD code, wchar_t *out, size_t cap);

/* ---- xcvclient.c ---- */
typedef struct ui_xcv {
  HANDLE h;
  int readonly; /* opened without SERVER_ACCESS_ADMINISTER (refused) */
} ui_xcv;

/* OpenPrinter("[\\server\],<kind> <object>") with SERVER_ACCESS_ADMINISTER;
 * when that is refused with ERROR_ACCESS_DENIED and allow_readonly is set,
 * again with SERVER_READ (x->readonly = 1). kind: L"XcvMonitor" or
 * L"XcvPort". Returns 0 or the Win32 error. */
DWORD ui_xcv_open(const wchar_t *server, const wchar_t *kind,
                  const wchar_t *object, int allow_readonly, ui_xcv *x);
void ui_xcv_close(ui_xcv *x);
/* XcvData(cmd) with the input "s1\0[s2\0]" (s1 NULL: no input). Returns 0
 * when the call reached the monitor, its answer in *status; or the
 * transport's Win32 error. With out, the output is read in full (a sizing
 * call first) into *out (malloc, NUL-terminated as WCHARs, free()) and its
 * size in bytes into *outlen. */
DWORD ui_xcv_call(const ui_xcv *x, const wchar_t *cmd, const wchar_t *s1,
                  const wchar_t *s2, BYTE **out, DWORD *outlen, DWORD *status);

/* ---- form.c ---- */
typedef struct ui_ctx {
  int configure; /* 0: Add Port, 1: Configure Port */
  ui_xcv xcv;
  wchar_t name[UI_NAME_MAX]; /* Configure: the port; Add: the port added */
  pw_ui_form form;
  int status_kind; /* 0 plain, 1 error, 2 success */
  int loading;     /* controls being filled: no updates */
  HBRUSH bg;
} ui_ctx;

/* Runs the modal form. IDOK when the port was added or saved, IDCANCEL
 * when the user closed it, -1 when the dialog could not be shown. */
INT_PTR ui_run_form(HWND parent, ui_ctx *ctx);

#endif

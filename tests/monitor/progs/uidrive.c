/* uidrive.exe — drives portwayui.dll through Wine's REAL spooler calls, for
 * tests/e2e/ui_xvfb.sh: it opens a plain parent window and calls
 * AddPortW(NULL, hwnd, L"portway") / ConfigurePortW / DeletePortW, which
 * ask portway.dll for Xcv "MonitorUI", load portwayui.dll and show its
 * dialogs; the script types into them with xdotool.
 *
 *   uidrive add [MONITOR]          AddPortW with a parent window
 *   uidrive configure PORT         ConfigurePortW
 *   uidrive configure-readonly PORT
 *                                  ConfigurePortW as a user without the
 *                                  admin right: portwayui.dll's OpenPrinterW
 *                                  import is replaced first so that asking
 *                                  for SERVER_ACCESS_ADMINISTER fails with
 *                                  ERROR_ACCESS_DENIED (what Windows' spooler
 *                                  answers such a user; Wine grants all)
 *   uidrive delete PORT            DeletePortW
 *   uidrive null-hwnd PORT         AddPortW, ConfigurePortW, DeletePortW and
 *                                  the DLL's own three entry points with
 *                                  hWnd NULL: each must fail (the DLL's with
 *                                  ERROR_CANCELLED) and show nothing
 *   uidrive direct-add [MONITOR]   the DLL's own AddPortUI with a name out
 *                                  pointer (Wine's AddPortW passes NULL):
 *                                  prints the name, frees it with LocalFree
 *
 * Prints one line "uidrive: <call> -> <0|1> error <n>" and exits 0 when
 * the call returned TRUE, 3 when it failed with ERROR_CANCELLED, 1
 * otherwise (Wine 8.0's three calls report a cancel as FALSE with error 0);
 * null-hwnd exits 0 when every call failed as it must. */
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <winspool.h>

#include <winsplp.h>

#include "patch_import.h" /* tools/monrun: shared with monrun */

static int report(const char *call, BOOL ok, DWORD err) {
  printf("uidrive: %s -> %d error %lu\n", call, ok ? 1 : 0, (unsigned long)err);
  fflush(stdout);
  return ok ? 0 : err == ERROR_CANCELLED ? 3 : 1;
}

static HWND parent_window(void) {
  WNDCLASSW wc = {0};
  wc.lpfnWndProc = DefWindowProcW;
  wc.hInstance = GetModuleHandleW(NULL);
  wc.hbrBackground = (HBRUSH)(COLOR_WINDOW + 1);
  wc.lpszClassName = L"uidrive";
  RegisterClassW(&wc);
  HWND w = CreateWindowW(L"uidrive", L"portway UI driver", WS_OVERLAPPEDWINDOW,
                         0, 0, 320, 120, NULL, NULL, wc.hInstance, NULL);
  if (w) {
    ShowWindow(w, SW_SHOWNORMAL);
    UpdateWindow(w);
  }
  return w;
}

/* ---- the non-admin simulation: one import of portwayui.dll replaced ---- */

static BOOL WINAPI deny_admin_OpenPrinterW(LPWSTR name, LPHANDLE h,
                                           LPPRINTER_DEFAULTSW pd) {
  if (pd && (pd->DesiredAccess & SERVER_ACCESS_ADMINISTER)) {
    SetLastError(ERROR_ACCESS_DENIED);
    return FALSE;
  }
  return OpenPrinterW(name, h, pd);
}

/* Loads portwayui.dll and keeps it loaded, so the spooler's own
 * LoadLibrary gets this patched copy. */
static int deny_admin(void) {
  HMODULE ui = LoadLibraryW(L"portwayui.dll");
  if (!ui) {
    printf("uidrive: cannot load portwayui.dll: error %lu\n",
           (unsigned long)GetLastError());
    return 0;
  }
  if (!mr_patch_import(ui, "winspool.drv", "OpenPrinterW",
                       (void *)deny_admin_OpenPrinterW)) {
    printf("uidrive: portwayui.dll does not import OpenPrinterW\n");
    return 0;
  }
  return 1;
}

static PMONITORUI ui_table(HMODULE *mod) {
  *mod = LoadLibraryW(L"portwayui.dll");
  typedef PMONITORUI(WINAPI * init_fn)(void);
  init_fn init = *mod ? (init_fn)(void (*)(void))GetProcAddress(
                            *mod, "InitializePrintMonitorUI")
                      : NULL;
  PMONITORUI t = init ? init() : NULL;
  if (!t || t->dwMonitorUISize != sizeof(MONITORUI) || !t->pfnAddPortUI ||
      !t->pfnConfigurePortUI || !t->pfnDeletePortUI) {
    printf("uidrive: no complete MONITORUI from portwayui.dll\n");
    return NULL;
  }
  return t;
}

/* Wine's AddPortW/ConfigurePortW/DeletePortW pass hWnd NULL through to the
 * DLL but do not keep its last error (8.0 returns FALSE with 0): through
 * them only FALSE is checked; the DLL's own entry points must answer
 * ERROR_CANCELLED. A dialog shown anyway would block this program (the
 * script's time-out catches that). */
static int null_hwnd(const wchar_t *port) {
  int bad = 0;
  SetLastError(0xdeadbeef);
  BOOL ok = AddPortW(NULL, NULL, (LPWSTR)L"portway");
  bad |= report("AddPortW(hWnd NULL)", ok, GetLastError()) == 0;
  SetLastError(0xdeadbeef);
  ok = ConfigurePortW(NULL, NULL, (LPWSTR)port);
  bad |= report("ConfigurePortW(hWnd NULL)", ok, GetLastError()) == 0;
  SetLastError(0xdeadbeef);
  ok = DeletePortW(NULL, NULL, (LPWSTR)port);
  bad |= report("DeletePortW(hWnd NULL)", ok, GetLastError()) == 0;
  HMODULE mod;
  PMONITORUI t = ui_table(&mod);
  if (!t)
    return 1;
  PWSTR name = (PWSTR)(ULONG_PTR)0xdeadbeef;
  SetLastError(0xdeadbeef);
  ok = t->pfnAddPortUI(NULL, NULL, L"portway", &name);
  bad |= report("AddPortUI(hWnd NULL)", ok, GetLastError()) != 3;
  if (name != NULL) {
    printf("uidrive: AddPortUI(hWnd NULL) left the name pointer set\n");
    bad = 1;
  }
  SetLastError(0xdeadbeef);
  ok = t->pfnConfigurePortUI(NULL, NULL, port);
  bad |= report("ConfigurePortUI(hWnd NULL)", ok, GetLastError()) != 3;
  SetLastError(0xdeadbeef);
  ok = t->pfnDeletePortUI(NULL, NULL, port);
  bad |= report("DeletePortUI(hWnd NULL)", ok, GetLastError()) != 3;
  FreeLibrary(mod);
  return bad ? 1 : 0;
}

static int direct_add(HWND hwnd, const wchar_t *monitor) {
  HMODULE ui;
  PMONITORUI t = ui_table(&ui);
  if (!t)
    return 1;
  PWSTR name = (PWSTR)(ULONG_PTR)0xdeadbeef;
  SetLastError(0xdeadbeef);
  BOOL ok = t->pfnAddPortUI(NULL, hwnd, monitor, &name);
  DWORD err = GetLastError();
  if (ok && name) {
    printf("uidrive: port name out: %ls\n", name);
    if (LocalFree(name) != NULL)
      printf("uidrive: LocalFree refused the name\n");
  } else if (!ok && name != NULL) {
    printf("uidrive: a failed AddPortUI left the name pointer set\n");
    err = ERROR_GEN_FAILURE;
  }
  FreeLibrary(ui);
  return report("AddPortUI(direct)", ok, err);
}

int wmain(int argc, wchar_t **argv);
int wmain(int argc, wchar_t **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: uidrive add|configure|configure-readonly|delete|"
                    "null-hwnd|direct-add [PORT|MONITOR]\n");
    return 2;
  }
  const wchar_t *cmd = argv[1];
  const wchar_t *arg = argc > 2 ? argv[2] : NULL;
  if (wcscmp(cmd, L"null-hwnd") == 0)
    return null_hwnd(arg ? arg : L"PW1:");
  if (wcscmp(cmd, L"add") != 0 && wcscmp(cmd, L"direct-add") != 0 && !arg) {
    fprintf(stderr, "uidrive: %ls needs a port name\n", cmd);
    return 2;
  }
  HWND hwnd = parent_window();
  if (!hwnd) {
    printf("uidrive: cannot create the parent window: error %lu\n",
           (unsigned long)GetLastError());
    return 1;
  }
  BOOL ok;
  DWORD err;
  SetLastError(0xdeadbeef);
  if (wcscmp(cmd, L"add") == 0) {
    ok = AddPortW(NULL, hwnd, (LPWSTR)(arg ? arg : L"portway"));
    err = GetLastError();
    return report("AddPortW", ok, err);
  }
  if (wcscmp(cmd, L"direct-add") == 0)
    return direct_add(hwnd, arg ? arg : L"portway");
  if (wcscmp(cmd, L"configure-readonly") == 0) {
    if (!deny_admin())
      return 1;
    SetLastError(0xdeadbeef);
    ok = ConfigurePortW(NULL, hwnd, (LPWSTR)arg);
    err = GetLastError();
    return report("ConfigurePortW(no admin right)", ok, err);
  }
  if (wcscmp(cmd, L"configure") == 0) {
    ok = ConfigurePortW(NULL, hwnd, (LPWSTR)arg);
    err = GetLastError();
    return report("ConfigurePortW", ok, err);
  }
  if (wcscmp(cmd, L"delete") == 0) {
    ok = DeletePortW(NULL, hwnd, (LPWSTR)arg);
    err = GetLastError();
    return report("DeletePortW", ok, err);
  }
  fprintf(stderr, "uidrive: unknown command %ls\n", cmd);
  return 2;
}

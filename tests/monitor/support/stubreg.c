/* portway tests — a MONITORREG whose callbacks all answer
 * ERROR_CALL_NOT_IMPLEMENTED, as Wine 8.0's spooler passes; see memreg.h. */
#include "memreg.h"

#include <stdio.h>
#include <string.h>

static LONG g_stub_calls;

static LONG stub(void) {
  InterlockedIncrement(&g_stub_calls);
  return ERROR_CALL_NOT_IMPLEMENTED;
}
static LONG WINAPI st_create_key(HANDLE a, LPCWSTR b, DWORD c, REGSAM d,
                                 PSECURITY_ATTRIBUTES e, PHANDLE f, PDWORD g,
                                 HANDLE h) {
  (void)a, (void)b, (void)c, (void)d, (void)e, (void)f, (void)g, (void)h;
  return stub();
}
static LONG WINAPI st_open_key(HANDLE a, LPCWSTR b, REGSAM c, PHANDLE d,
                               HANDLE e) {
  (void)a, (void)b, (void)c, (void)d, (void)e;
  return stub();
}
static LONG WINAPI st_close_key(HANDLE a, HANDLE b) {
  (void)a, (void)b;
  return stub();
}
static LONG WINAPI st_delete_key(HANDLE a, LPCWSTR b, HANDLE c) {
  (void)a, (void)b, (void)c;
  return stub();
}
static LONG WINAPI st_enum_key(HANDLE a, DWORD b, LPWSTR c, PDWORD d,
                               PFILETIME e, HANDLE f) {
  (void)a, (void)b, (void)c, (void)d, (void)e, (void)f;
  return stub();
}
static LONG WINAPI st_query_info_key(HANDLE a, PDWORD b, PDWORD c, PDWORD d,
                                     PDWORD e, PDWORD f, PDWORD g, PFILETIME h,
                                     HANDLE i) {
  (void)a, (void)b, (void)c, (void)d, (void)e, (void)f, (void)g, (void)h,
      (void)i;
  return stub();
}
static LONG WINAPI st_set_value(HANDLE a, LPCWSTR b, DWORD c, const BYTE *d,
                                DWORD e, HANDLE f) {
  (void)a, (void)b, (void)c, (void)d, (void)e, (void)f;
  return stub();
}
static LONG WINAPI st_delete_value(HANDLE a, LPCWSTR b, HANDLE c) {
  (void)a, (void)b, (void)c;
  return stub();
}
static LONG WINAPI st_enum_value(HANDLE a, DWORD b, LPWSTR c, PDWORD d,
                                 PDWORD e, PBYTE f, PDWORD g, HANDLE h) {
  (void)a, (void)b, (void)c, (void)d, (void)e, (void)f, (void)g, (void)h;
  return stub();
}
static LONG WINAPI st_query_value(HANDLE a, LPCWSTR b, PDWORD c, PBYTE d,
                                  PDWORD e, HANDLE f) {
  (void)a, (void)b, (void)c, (void)d, (void)e, (void)f;
  return stub();
}

BOOL memreg_fill_stub_init(MONITORINIT *init, MONITORREG *reg,
                           const WCHAR *monitor) {
  WCHAR path[512];
  HKEY root = NULL;
  memset(reg, 0, sizeof *reg);
  reg->cbSize = sizeof *reg;
  reg->fpCreateKey = st_create_key;
  reg->fpOpenKey = st_open_key;
  reg->fpCloseKey = st_close_key;
  reg->fpDeleteKey = st_delete_key;
  reg->fpEnumKey = st_enum_key;
  reg->fpQueryInfoKey = st_query_info_key;
  reg->fpSetValue = st_set_value;
  reg->fpDeleteValue = st_delete_value;
  reg->fpEnumValue = st_enum_value;
  reg->fpQueryValue = st_query_value;
  memset(init, 0, sizeof *init);
  init->cbSize = sizeof *init;
  init->hSpooler = NULL; /* as Wine passes */
  /* Wine 8.0, observed: a real HKEY opened on Monitors\<name>. */
  if (monitor) {
    _snwprintf(path, 512, MEMREG_MONITORS L"\\%ls", monitor);
    if (RegCreateKeyExW(HKEY_LOCAL_MACHINE, path, 0, NULL, 0,
                        KEY_READ | KEY_WRITE, NULL, &root,
                        NULL) != ERROR_SUCCESS)
      return FALSE;
  }
  init->hckRegistryRoot = (HKEYMONITOR)root;
  init->pMonitorReg = reg;
  init->bLocal = TRUE;
  return TRUE;
}

void memreg_close_stub_init(MONITORINIT *init) {
  if (init->hckRegistryRoot)
    RegCloseKey((HKEY)init->hckRegistryRoot);
  init->hckRegistryRoot = NULL;
}

LONG memreg_stub_calls(void) {
  return InterlockedCompareExchange(&g_stub_calls, 0, 0);
}

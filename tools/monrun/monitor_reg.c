/* monrun — the spooler's registry store: a working MONITORREG.
 *
 * The store lives under HKCU\Software\portway\monrun\<monitor name>, so port
 * configuration persists between monrun runs the way it does in a spooler.
 * Key handles given to the monitor are opaque table entries (tag + slot +
 * generation), not HKEYs: a monitor that hands them to the Win32 registry
 * API instead of MONITORREG fails visibly, as it would on a cluster, and a
 * stale or forged handle is detected without touching freed memory.
 *
 * Every callback checks hSpooler against our cookie (docs: "pass it as the
 * last argument of every MONITORREG call"). With MR_REG_STUB the table
 * behaves like Wine 8.0's: every callback returns ERROR_CALL_NOT_IMPLEMENTED,
 * hSpooler is NULL and hckRegistryRoot is a real HKEY.
 */
#include "monrun.h"

#include <stdio.h>
#include <string.h>

#define MR_REG_BASE L"Software\\portway\\monrun\\"
#define MR_MAX_KEYS 4096
#define MR_KEY_TAG ((uintptr_t)0x4d52u << 32) /* "MR" */
_Static_assert(sizeof(uintptr_t) == 8, "key handles use the upper 32 bits");

typedef struct mr_key_slot {
  HKEY hkey;
  uint16_t gen;
  uint8_t used;
  uint8_t is_root;
} mr_key_slot;

static struct {
  mr_reg_mode mode;
  wchar_t path[512];
  HKEY root_hkey;
  HANDLE root_handle;
  HKEY extra_hkey; /* stub mode: the extra root given as a real HKEY */
  SRWLOCK lock;    /* shared for use of a key, exclusive to add/remove one */
  mr_key_slot slots[MR_MAX_KEYS];
  MONITORREG table;
} reg = {.lock = SRWLOCK_INIT};

/* Address of a private object: non-NULL and not guessable as 0/1/-1. */
static const char spooler_cookie_obj = 'S';
#define MR_SPOOLER_COOKIE ((HANDLE)&spooler_cookie_obj)

static HANDLE make_handle(unsigned idx, uint16_t gen) {
  return (HANDLE)(MR_KEY_TAG | ((uintptr_t)gen << 16) | (uintptr_t)(idx + 1));
}

/* Caller holds the lock (shared or exclusive). Returns the slot or NULL. */
static mr_key_slot *lookup(HANDLE h) {
  uintptr_t v = (uintptr_t)h;
  if ((v & ~(uintptr_t)0xffffffffu) != MR_KEY_TAG)
    return NULL;
  unsigned idx = (unsigned)(v & 0xffffu);
  uint16_t gen = (uint16_t)((v >> 16) & 0xffffu);
  if (idx == 0 || idx > MR_MAX_KEYS)
    return NULL;
  mr_key_slot *s = &reg.slots[idx - 1];
  return (s->used && s->gen == gen) ? s : NULL;
}

/* Store hkey in a free slot; on a full table the key is closed. */
static LONG add_key(HKEY hkey, int is_root, HANDLE *out) {
  AcquireSRWLockExclusive(&reg.lock);
  for (unsigned i = 0; i < MR_MAX_KEYS; i++) {
    mr_key_slot *s = &reg.slots[i];
    if (!s->used) {
      s->used = 1;
      s->is_root = (uint8_t)is_root;
      s->hkey = hkey;
      s->gen = (uint16_t)(s->gen + 1);
      *out = make_handle(i, s->gen);
      ReleaseSRWLockExclusive(&reg.lock);
      return ERROR_SUCCESS;
    }
  }
  ReleaseSRWLockExclusive(&reg.lock);
  RegCloseKey(hkey);
  mr_warn_once("MONITORREG: more than %d keys open at once (key leak?)",
               MR_MAX_KEYS);
  return ERROR_NO_SYSTEM_RESOURCES;
}

static int check_spooler(HANDLE hSpooler, const char *fn) {
  if (hSpooler == MR_SPOOLER_COOKIE)
    return 1;
  mr_warn_once("MONITORREG %s called with hSpooler %p, expected %p from "
               "MONITORINIT",
               fn, hSpooler, (void *)MR_SPOOLER_COOKIE);
  return 0;
}

/* Look up hcKey under a shared lock; on success the caller must release it
 * with ReleaseSRWLockShared after the registry call. */
static LONG begin_use(HANDLE hcKey, HANDLE hSpooler, const char *fn, HKEY *hkey,
                      int *is_root) {
  if (!check_spooler(hSpooler, fn))
    return ERROR_INVALID_HANDLE;
  AcquireSRWLockShared(&reg.lock);
  mr_key_slot *s = lookup(hcKey);
  if (!s) {
    ReleaseSRWLockShared(&reg.lock);
    mr_warn_once("MONITORREG %s called with an unknown or closed key "
                 "handle %p",
                 fn, hcKey);
    return ERROR_INVALID_HANDLE;
  }
  *hkey = s->hkey;
  if (is_root)
    *is_root = s->is_root;
  return ERROR_SUCCESS;
}

static void trace_result(const char *fn, const wchar_t *name, LONG rc) {
  char u8[300];
  if (mr_verbose >= 2)
    mr_info(2, "MONITORREG %s(%s) -> %ld", fn, mr_u8(name, u8, sizeof u8),
            (long)rc);
}

static LONG WINAPI reg_create_key(HANDLE hcKey, LPCWSTR pszSubKey,
                                  DWORD dwOptions, REGSAM samDesired,
                                  PSECURITY_ATTRIBUTES psa, PHANDLE phckResult,
                                  PDWORD pdwDisposition, HANDLE hSpooler) {
  HKEY parent, child = NULL;
  if (!phckResult || !pszSubKey)
    return ERROR_INVALID_PARAMETER;
  LONG rc = begin_use(hcKey, hSpooler, "CreateKey", &parent, NULL);
  if (rc != ERROR_SUCCESS)
    return rc;
  rc = RegCreateKeyExW(parent, pszSubKey, 0, NULL, dwOptions, samDesired, psa,
                       &child, pdwDisposition);
  ReleaseSRWLockShared(&reg.lock);
  if (rc == ERROR_SUCCESS)
    rc = add_key(child, 0, phckResult);
  trace_result("CreateKey", pszSubKey, rc);
  return rc;
}

static LONG WINAPI reg_open_key(HANDLE hcKey, LPCWSTR pszSubKey,
                                REGSAM samDesired, PHANDLE phkResult,
                                HANDLE hSpooler) {
  HKEY parent, child = NULL;
  if (!phkResult)
    return ERROR_INVALID_PARAMETER;
  LONG rc = begin_use(hcKey, hSpooler, "OpenKey", &parent, NULL);
  if (rc != ERROR_SUCCESS)
    return rc;
  rc = RegOpenKeyExW(parent, pszSubKey, 0, samDesired, &child);
  ReleaseSRWLockShared(&reg.lock);
  if (rc == ERROR_SUCCESS)
    rc = add_key(child, 0, phkResult);
  trace_result("OpenKey", pszSubKey, rc);
  return rc;
}

static LONG WINAPI reg_close_key(HANDLE hcKey, HANDLE hSpooler) {
  if (!check_spooler(hSpooler, "CloseKey"))
    return ERROR_INVALID_HANDLE;
  AcquireSRWLockExclusive(&reg.lock);
  mr_key_slot *s = lookup(hcKey);
  if (!s || s->is_root) {
    ReleaseSRWLockExclusive(&reg.lock);
    mr_warn_once("MONITORREG CloseKey called with %s",
                 s ? "the registry root (hckRegistryRoot belongs to the "
                     "spooler)"
                   : "an unknown or already closed key handle");
    return ERROR_INVALID_HANDLE;
  }
  HKEY hkey = s->hkey;
  s->used = 0;
  s->hkey = NULL;
  ReleaseSRWLockExclusive(&reg.lock);
  LONG rc = RegCloseKey(hkey);
  trace_result("CloseKey", L"", rc);
  return rc;
}

static LONG WINAPI reg_delete_key(HANDLE hcKey, LPCWSTR pszSubKey,
                                  HANDLE hSpooler) {
  HKEY parent;
  /* An empty name would delete the key itself: never the spooler's root,
   * and ClusterRegDeleteKey has no such form either. */
  if (!pszSubKey || !pszSubKey[0])
    return ERROR_INVALID_PARAMETER;
  LONG rc = begin_use(hcKey, hSpooler, "DeleteKey", &parent, NULL);
  if (rc != ERROR_SUCCESS)
    return rc;
  rc = RegDeleteKeyW(parent, pszSubKey);
  ReleaseSRWLockShared(&reg.lock);
  trace_result("DeleteKey", pszSubKey, rc);
  return rc;
}

static LONG WINAPI reg_enum_key(HANDLE hcKey, DWORD dwIndex, LPWSTR pszName,
                                PDWORD pcchName, PFILETIME pftLastWriteTime,
                                HANDLE hSpooler) {
  HKEY hkey;
  if (!pszName || !pcchName)
    return ERROR_INVALID_PARAMETER;
  LONG rc = begin_use(hcKey, hSpooler, "EnumKey", &hkey, NULL);
  if (rc != ERROR_SUCCESS)
    return rc;
  rc = RegEnumKeyExW(hkey, dwIndex, pszName, pcchName, NULL, NULL, NULL,
                     pftLastWriteTime);
  ReleaseSRWLockShared(&reg.lock);
  trace_result("EnumKey", rc == ERROR_SUCCESS ? pszName : L"", rc);
  return rc;
}

static LONG WINAPI reg_query_info_key(HANDLE hcKey, PDWORD pcSubKeys,
                                      PDWORD pcbKey, PDWORD pcValues,
                                      PDWORD pcbValue, PDWORD pcbData,
                                      PDWORD pcbSecurityDescriptor,
                                      PFILETIME pftLastWriteTime,
                                      HANDLE hSpooler) {
  HKEY hkey;
  LONG rc = begin_use(hcKey, hSpooler, "QueryInfoKey", &hkey, NULL);
  if (rc != ERROR_SUCCESS)
    return rc;
  rc = RegQueryInfoKeyW(hkey, NULL, NULL, NULL, pcSubKeys, pcbKey, NULL,
                        pcValues, pcbValue, pcbData, pcbSecurityDescriptor,
                        pftLastWriteTime);
  ReleaseSRWLockShared(&reg.lock);
  trace_result("QueryInfoKey", L"", rc);
  return rc;
}

static LONG WINAPI reg_set_value(HANDLE hcKey, LPCWSTR pszValue, DWORD dwType,
                                 const BYTE *pData, DWORD cbData,
                                 HANDLE hSpooler) {
  HKEY hkey;
  if (!pData && cbData)
    return ERROR_INVALID_PARAMETER;
  LONG rc = begin_use(hcKey, hSpooler, "SetValue", &hkey, NULL);
  if (rc != ERROR_SUCCESS)
    return rc;
  rc = RegSetValueExW(hkey, pszValue, 0, dwType, pData, cbData);
  ReleaseSRWLockShared(&reg.lock);
  trace_result("SetValue", pszValue, rc);
  return rc;
}

static LONG WINAPI reg_delete_value(HANDLE hcKey, LPCWSTR pszValue,
                                    HANDLE hSpooler) {
  HKEY hkey;
  LONG rc = begin_use(hcKey, hSpooler, "DeleteValue", &hkey, NULL);
  if (rc != ERROR_SUCCESS)
    return rc;
  rc = RegDeleteValueW(hkey, pszValue);
  ReleaseSRWLockShared(&reg.lock);
  trace_result("DeleteValue", pszValue, rc);
  return rc;
}

/* pcbValue counts characters of the value name, as ClusterRegEnumValue's
 * lpcchValueName does (the MONITORREG name says "cb", the function it
 * mirrors says "cch"; see docs/monrun.md). */
static LONG WINAPI reg_enum_value(HANDLE hcKey, DWORD dwIndex, LPWSTR pszValue,
                                  PDWORD pcbValue, PDWORD pType, PBYTE pData,
                                  PDWORD pcbData, HANDLE hSpooler) {
  HKEY hkey;
  if (!pszValue || !pcbValue)
    return ERROR_INVALID_PARAMETER;
  LONG rc = begin_use(hcKey, hSpooler, "EnumValue", &hkey, NULL);
  if (rc != ERROR_SUCCESS)
    return rc;
  rc = RegEnumValueW(hkey, dwIndex, pszValue, pcbValue, NULL, pType, pData,
                     pcbData);
  ReleaseSRWLockShared(&reg.lock);
  trace_result("EnumValue", rc == ERROR_SUCCESS ? pszValue : L"", rc);
  return rc;
}

static LONG WINAPI reg_query_value(HANDLE hcKey, LPCWSTR pszValue, PDWORD pType,
                                   PBYTE pData, PDWORD pcbData,
                                   HANDLE hSpooler) {
  HKEY hkey;
  LONG rc = begin_use(hcKey, hSpooler, "QueryValue", &hkey, NULL);
  if (rc != ERROR_SUCCESS)
    return rc;
  rc = RegQueryValueExW(hkey, pszValue, NULL, pType, pData, pcbData);
  ReleaseSRWLockShared(&reg.lock);
  trace_result("QueryValue", pszValue, rc);
  return rc;
}

/* ---- Wine 8.0 emulation: every callback unimplemented ---- */
static LONG WINAPI stub_create_key(HANDLE a, LPCWSTR b, DWORD c, REGSAM d,
                                   PSECURITY_ATTRIBUTES e, PHANDLE f, PDWORD g,
                                   HANDLE h) {
  (void)a, (void)b, (void)c, (void)d, (void)e, (void)f, (void)g, (void)h;
  return ERROR_CALL_NOT_IMPLEMENTED;
}
static LONG WINAPI stub_open_key(HANDLE a, LPCWSTR b, REGSAM c, PHANDLE d,
                                 HANDLE e) {
  (void)a, (void)b, (void)c, (void)d, (void)e;
  return ERROR_CALL_NOT_IMPLEMENTED;
}
static LONG WINAPI stub_close_key(HANDLE a, HANDLE b) {
  (void)a, (void)b;
  return ERROR_CALL_NOT_IMPLEMENTED;
}
static LONG WINAPI stub_delete_key(HANDLE a, LPCWSTR b, HANDLE c) {
  (void)a, (void)b, (void)c;
  return ERROR_CALL_NOT_IMPLEMENTED;
}
static LONG WINAPI stub_enum_key(HANDLE a, DWORD b, LPWSTR c, PDWORD d,
                                 PFILETIME e, HANDLE f) {
  (void)a, (void)b, (void)c, (void)d, (void)e, (void)f;
  return ERROR_CALL_NOT_IMPLEMENTED;
}
static LONG WINAPI stub_query_info_key(HANDLE a, PDWORD b, PDWORD c, PDWORD d,
                                       PDWORD e, PDWORD f, PDWORD g,
                                       PFILETIME h, HANDLE i) {
  (void)a, (void)b, (void)c, (void)d, (void)e, (void)f, (void)g, (void)h;
  (void)i;
  return ERROR_CALL_NOT_IMPLEMENTED;
}
static LONG WINAPI stub_set_value(HANDLE a, LPCWSTR b, DWORD c, const BYTE *d,
                                  DWORD e, HANDLE f) {
  (void)a, (void)b, (void)c, (void)d, (void)e, (void)f;
  return ERROR_CALL_NOT_IMPLEMENTED;
}
static LONG WINAPI stub_delete_value(HANDLE a, LPCWSTR b, HANDLE c) {
  (void)a, (void)b, (void)c;
  return ERROR_CALL_NOT_IMPLEMENTED;
}
static LONG WINAPI stub_enum_value(HANDLE a, DWORD b, LPWSTR c, PDWORD d,
                                   PDWORD e, PBYTE f, PDWORD g, HANDLE h) {
  (void)a, (void)b, (void)c, (void)d, (void)e, (void)f, (void)g, (void)h;
  return ERROR_CALL_NOT_IMPLEMENTED;
}
static LONG WINAPI stub_query_value(HANDLE a, LPCWSTR b, PDWORD c, PBYTE d,
                                    PDWORD e, HANDLE f) {
  (void)a, (void)b, (void)c, (void)d, (void)e, (void)f;
  return ERROR_CALL_NOT_IMPLEMENTED;
}

/* HKCU\<path>, created if missing, with every right. */
static LONG create_hkcu_key(const wchar_t *path, HKEY *out) {
  return RegCreateKeyExW(HKEY_CURRENT_USER, path, 0, NULL,
                         REG_OPTION_NON_VOLATILE, KEY_ALL_ACCESS, NULL, out,
                         NULL);
}

DWORD mr_reg_open(const wchar_t *monitor_name, mr_reg_mode mode) {
  int n = swprintf(reg.path, sizeof reg.path / sizeof reg.path[0], L"%ls%ls",
                   MR_REG_BASE, monitor_name);
  if (n < 0 || !monitor_name[0] || wcschr(monitor_name, L'\\'))
    return ERROR_INVALID_NAME;
  LONG rc = create_hkcu_key(reg.path, &reg.root_hkey);
  if (rc != ERROR_SUCCESS)
    return (DWORD)rc;
  reg.mode = mode;
  reg.table.cbSize = sizeof reg.table;
  if (mode == MR_REG_STUB) {
    reg.root_handle = (HANDLE)reg.root_hkey;
    reg.table.fpCreateKey = stub_create_key;
    reg.table.fpOpenKey = stub_open_key;
    reg.table.fpCloseKey = stub_close_key;
    reg.table.fpDeleteKey = stub_delete_key;
    reg.table.fpEnumKey = stub_enum_key;
    reg.table.fpQueryInfoKey = stub_query_info_key;
    reg.table.fpSetValue = stub_set_value;
    reg.table.fpDeleteValue = stub_delete_value;
    reg.table.fpEnumValue = stub_enum_value;
    reg.table.fpQueryValue = stub_query_value;
    return ERROR_SUCCESS;
  }
  reg.table.fpCreateKey = reg_create_key;
  reg.table.fpOpenKey = reg_open_key;
  reg.table.fpCloseKey = reg_close_key;
  reg.table.fpDeleteKey = reg_delete_key;
  reg.table.fpEnumKey = reg_enum_key;
  reg.table.fpQueryInfoKey = reg_query_info_key;
  reg.table.fpSetValue = reg_set_value;
  reg.table.fpDeleteValue = reg_delete_value;
  reg.table.fpEnumValue = reg_enum_value;
  reg.table.fpQueryValue = reg_query_value;
  rc = add_key(reg.root_hkey, 1, &reg.root_handle);
  if (rc != ERROR_SUCCESS)
    reg.root_hkey = NULL; /* add_key closed it */
  return (DWORD)rc;
}

unsigned mr_reg_close(void) {
  unsigned leaked = 0;
  AcquireSRWLockExclusive(&reg.lock);
  for (unsigned i = 0; i < MR_MAX_KEYS; i++) {
    mr_key_slot *s = &reg.slots[i];
    if (!s->used)
      continue;
    if (!s->is_root)
      leaked++;
    RegCloseKey(s->hkey);
    s->used = 0;
    s->hkey = NULL;
  }
  ReleaseSRWLockExclusive(&reg.lock);
  if (reg.mode == MR_REG_STUB && reg.root_hkey)
    RegCloseKey(reg.root_hkey);
  if (reg.extra_hkey)
    RegCloseKey(reg.extra_hkey);
  reg.extra_hkey = NULL;
  reg.root_hkey = NULL;
  reg.root_handle = NULL;
  return leaked;
}

HANDLE mr_reg_spooler_cookie(void) {
  return reg.mode == MR_REG_STUB ? NULL : MR_SPOOLER_COOKIE;
}

HANDLE mr_reg_root_handle(void) {
  return reg.root_handle;
}

PMONITORREG mr_reg_table(void) {
  return &reg.table;
}

const wchar_t *mr_reg_root_path(void) {
  return reg.path;
}

DWORD mr_reg_open_extra(const wchar_t *name, HANDLE *root) {
  wchar_t path[512];
  int n = swprintf(path, sizeof path / sizeof path[0], L"%ls%ls", MR_REG_BASE,
                   name);
  if (n < 0 || !name[0] || wcschr(name, L'\\'))
    return ERROR_INVALID_NAME;
  HKEY hkey = NULL;
  LONG rc = create_hkcu_key(path, &hkey);
  if (rc != ERROR_SUCCESS)
    return (DWORD)rc;
  if (reg.mode == MR_REG_STUB) {
    if (reg.extra_hkey)
      RegCloseKey(reg.extra_hkey);
    reg.extra_hkey = hkey;
    *root = (HANDLE)hkey;
    return ERROR_SUCCESS;
  }
  return (DWORD)add_key(hkey, 1, root);
}

DWORD mr_reg_set_port_value(const wchar_t *name, const wchar_t *port,
                            const wchar_t *value, const wchar_t *text) {
  wchar_t path[1024];
  int n = swprintf(path, sizeof path / sizeof path[0], L"%ls%ls\\Ports\\%ls",
                   MR_REG_BASE, name, port);
  if (n < 0 || wcschr(port, L'\\'))
    return ERROR_INVALID_NAME;
  HKEY hkey = NULL;
  LONG rc = create_hkcu_key(path, &hkey);
  if (rc != ERROR_SUCCESS)
    return (DWORD)rc;
  rc = RegSetValueExW(hkey, value, 0, REG_SZ, (const BYTE *)text,
                      (DWORD)((wcslen(text) + 1) * sizeof(wchar_t)));
  RegCloseKey(hkey);
  return (DWORD)rc;
}

/* portway — registry access for the config store: MONITORREG callbacks or,
 * where the spooler only stubs them (Wine answers every callback with
 * ERROR_CALL_NOT_IMPLEMENTED), the Win32 registry at the real key the
 * spooler passes as hckRegistryRoot (HKLM\...\Print\Monitors\<name>).
 *
 * This file and nothing else in the DLL calls the registry. */
#include <string.h>
#include <wchar.h>

#include "monitor/regkey.h"

#define KEY_NAME_MAX 256  /* registry key names are at most 255 units */
#define TREE_MAX_DEPTH 16 /* deeper trees below a port key are hostile */
#define TREE_MAX_CHILDREN 4096

/* ---- choosing the backend ---- */

static int mreg_complete(const MONITORREG *m) {
  return m->fpCreateKey && m->fpOpenKey && m->fpCloseKey && m->fpDeleteKey &&
         m->fpEnumKey && m->fpSetValue && m->fpDeleteValue && m->fpEnumValue &&
         m->fpQueryValue;
}

/* Predefined keys (HKEY_LOCAL_MACHINE...) are sign-extended 0x8000000x
 * values; a monitor root is never one of them. */
static BOOL is_predefined_key(HANDLE h) {
  ULONG_PTR v = (ULONG_PTR)h;
  return v >= (ULONG_PTR)HKEY_CLASSES_ROOT &&
         v <= (ULONG_PTR)HKEY_CLASSES_ROOT + 0xff;
}

/* The last component of the key's full name, e.g. "portway" of
 * "\REGISTRY\MACHINE\...\Monitors\portway", through
 * NtQueryKey(KeyNameInformation), looked up at run time so the DLL still
 * imports no ntdll. An empty name if it cannot be had: the front then uses its
 * built-in monitor name. */
typedef LONG(NTAPI *nt_query_key_fn)(HANDLE key, int info_class, void *info,
                                     ULONG len, ULONG *result_len);
#define KEY_NAME_INFORMATION_CLASS 3

static void key_leaf_name(HKEY key, WCHAR *out, size_t cap) {
  /* KEY_NAME_INFORMATION: ULONG NameLength (bytes), then the name. */
  union {
    ULONG len;
    BYTE bytes[sizeof(ULONG) + 1024 * sizeof(WCHAR)];
  } info;
  ULONG got = 0;
  out[0] = 0;
  HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  nt_query_key_fn query =
      ntdll
          ? (nt_query_key_fn)(void (*)(void))GetProcAddress(ntdll, "NtQueryKey")
          : NULL;
  if (!query ||
      query(key, KEY_NAME_INFORMATION_CLASS, &info, sizeof info, &got) < 0)
    return;
  size_t units = info.len / sizeof(WCHAR);
  if (info.len % sizeof(WCHAR) ||
      units > (sizeof info.bytes - sizeof(ULONG)) / sizeof(WCHAR))
    return; /* not what the call promises: ignore it */
  const WCHAR *name = (const WCHAR *)(const void *)(info.bytes + sizeof(ULONG));
  size_t leaf = units;
  while (leaf > 0 && name[leaf - 1] != L'\\')
    leaf--;
  size_t n = units - leaf;
  if (n == 0 || n >= cap || wmemchr(name + leaf, 0, n))
    return;
  wmemcpy(out, name + leaf, n);
  out[n] = 0;
}

/* The fallback root. Wine 8.0, observed: every MONITORREG callback answers
 * ERROR_CALL_NOT_IMPLEMENTED and hckRegistryRoot is a real HKEY opened on
 * HKLM\SYSTEM\CurrentControlSet\Control\Print\Monitors\<name>. That key
 * is the only thing that tells two monitor entries on the same DLL apart
 * (a search of Monitors\*\Driver for our file name would give both the same
 * key, so one port list), so it is the only root the fallback uses: no
 * search, not even as a last resort. A NULL root, a predefined key or a
 * value that is no key fails InitializePrintMonitor2 with
 * ERROR_INVALID_PARAMETER. We open our own handle on the key (RegOpenKeyExW
 * with a NULL subkey, learn.microsoft.com "RegOpenKeyExW"), so whatever the
 * spooler does with its handle later does not matter. */
static LONG open_fallback_root(HANDLE given, HKEY *out, WCHAR *name,
                               size_t cap) {
  *out = NULL;
  if (!given || is_predefined_key(given))
    return ERROR_INVALID_PARAMETER;
  LONG rc = RegOpenKeyExW((HKEY)given, NULL, 0, KEY_READ | KEY_WRITE, out);
  if (rc == ERROR_ACCESS_DENIED) /* not admin: serve reads, writes fail */
    rc = RegOpenKeyExW((HKEY)given, NULL, 0, KEY_READ, out);
  if (rc != ERROR_SUCCESS) {
    *out = NULL;
    return rc == ERROR_ACCESS_DENIED ? rc : ERROR_INVALID_PARAMETER;
  }
  key_leaf_name(*out, name, cap);
  return ERROR_SUCCESS;
}

LONG pwm_reg_open_root(const MONITORINIT *init, pwm_reg *out) {
  const MONITORREG *m = init->pMonitorReg;
  memset(out, 0, sizeof *out);
  if (mreg_complete(m)) {
    HANDLE ports = NULL;
    DWORD disp = 0;
    LONG rc =
        m->fpCreateKey((HANDLE)init->hckRegistryRoot, L"Ports", 0,
                       KEY_ALL_ACCESS, NULL, &ports, &disp, init->hSpooler);
    if (rc == ERROR_SUCCESS) {
      m->fpCloseKey(ports, init->hSpooler);
      out->root = (HANDLE)init->hckRegistryRoot;
      out->mreg = m;
      out->spooler = init->hSpooler;
      return ERROR_SUCCESS;
    }
    if (rc != ERROR_CALL_NOT_IMPLEMENTED)
      return rc;
  }
  HKEY root = NULL;
  LONG rc = open_fallback_root((HANDLE)init->hckRegistryRoot, &root, out->name,
                               PWM_REG_NAME_MAX);
  if (rc != ERROR_SUCCESS)
    return rc;
  out->win32 = 1;
  out->root = (HANDLE)root;
  return ERROR_SUCCESS;
}

void pwm_reg_close_root(pwm_reg *reg) {
  if (reg->win32 && reg->root)
    RegCloseKey((HKEY)reg->root);
  reg->root = NULL;
}

/* ---- keys ---- */

LONG pwm_reg_create(const pwm_reg *reg, HANDLE parent, const WCHAR *sub,
                    HANDLE *out) {
  *out = NULL;
  if (!reg->win32) {
    DWORD disp = 0;
    return reg->mreg->fpCreateKey(parent, sub, 0, KEY_ALL_ACCESS, NULL, out,
                                  &disp, reg->spooler);
  }
  HKEY k = NULL;
  LONG rc = RegCreateKeyExW((HKEY)parent, sub, 0, NULL, REG_OPTION_NON_VOLATILE,
                            KEY_READ | KEY_WRITE, NULL, &k, NULL);
  *out = (HANDLE)k;
  return rc;
}

LONG pwm_reg_open(const pwm_reg *reg, HANDLE parent, const WCHAR *sub,
                  HANDLE *out) {
  *out = NULL;
  if (!reg->win32)
    return reg->mreg->fpOpenKey(parent, sub, KEY_ALL_ACCESS, out, reg->spooler);
  HKEY k = NULL;
  LONG rc = RegOpenKeyExW((HKEY)parent, sub, 0, KEY_READ | KEY_WRITE, &k);
  if (rc == ERROR_ACCESS_DENIED)
    rc = RegOpenKeyExW((HKEY)parent, sub, 0, KEY_READ, &k);
  *out = (HANDLE)k;
  return rc;
}

void pwm_reg_close(const pwm_reg *reg, HANDLE key) {
  if (!key)
    return;
  if (reg->win32)
    RegCloseKey((HKEY)key);
  else
    reg->mreg->fpCloseKey(key, reg->spooler);
}

static LONG delete_key(const pwm_reg *reg, HANDLE parent, const WCHAR *sub) {
  if (reg->win32)
    return RegDeleteKeyW((HKEY)parent, sub);
  return reg->mreg->fpDeleteKey(parent, sub, reg->spooler);
}

static LONG delete_tree(const pwm_reg *reg, HANDLE parent, const WCHAR *sub,
                        int depth) {
  HANDLE key;
  if (depth > TREE_MAX_DEPTH)
    return ERROR_INVALID_DATA;
  LONG rc = pwm_reg_open(reg, parent, sub, &key);
  if (rc != ERROR_SUCCESS)
    return rc;
  /* Children first: neither RegDeleteKey nor ClusterRegDeleteKey removes a
   * key that still has subkeys. Always delete index 0; the bound stops a
   * store that keeps answering with a child it does not delete. */
  for (int i = 0; i < TREE_MAX_CHILDREN; i++) {
    WCHAR child[KEY_NAME_MAX];
    DWORD cch = KEY_NAME_MAX;
    rc = pwm_reg_enum_key(reg, key, 0, child, &cch);
    if (rc == ERROR_NO_MORE_ITEMS) {
      rc = ERROR_SUCCESS;
      break;
    }
    if (rc == ERROR_SUCCESS)
      rc = delete_tree(reg, key, child, depth + 1);
    if (rc != ERROR_SUCCESS)
      break;
  }
  pwm_reg_close(reg, key);
  return rc == ERROR_SUCCESS ? delete_key(reg, parent, sub) : rc;
}

LONG pwm_reg_delete_tree(const pwm_reg *reg, HANDLE parent, const WCHAR *sub) {
  return delete_tree(reg, parent, sub, 0);
}

/* A name the store returned must be terminated inside our buffer; *cch is
 * recomputed from the buffer, never trusted. */
static LONG checked_name(LONG rc, WCHAR *name, DWORD cap, DWORD *cch) {
  if (rc != ERROR_SUCCESS)
    return rc;
  size_t n = wcsnlen(name, cap);
  if (n >= cap)
    return ERROR_MORE_DATA;
  *cch = (DWORD)n;
  return ERROR_SUCCESS;
}

LONG pwm_reg_enum_key(const pwm_reg *reg, HANDLE key, DWORD index, WCHAR *name,
                      DWORD *cch) {
  DWORD cap = *cch;
  LONG rc;
  if (cap == 0)
    return ERROR_MORE_DATA;
  name[0] = 0;
  if (reg->win32) {
    rc = RegEnumKeyExW((HKEY)key, index, name, cch, NULL, NULL, NULL, NULL);
  } else {
    FILETIME ft;
    rc = reg->mreg->fpEnumKey(key, index, name, cch, &ft, reg->spooler);
  }
  return checked_name(rc, name, cap, cch);
}

/* ---- values ---- */

LONG pwm_reg_enum_value(const pwm_reg *reg, HANDLE key, DWORD index,
                        WCHAR *name, DWORD *cch, DWORD *type, BYTE *data,
                        DWORD *cb) {
  DWORD cap = *cch, cb_cap = cb ? *cb : 0;
  LONG rc;
  if (data && !cb)
    return ERROR_INVALID_PARAMETER;
  if (cap == 0)
    return ERROR_MORE_DATA;
  name[0] = 0;
  if (reg->win32)
    rc = RegEnumValueW((HKEY)key, index, name, cch, NULL, type, data, cb);
  else
    rc = reg->mreg->fpEnumValue(key, index, name, cch, type, data, cb,
                                reg->spooler);
  if (rc == ERROR_SUCCESS && data && *cb > cb_cap)
    return ERROR_MORE_DATA; /* a size beyond our buffer cannot be right */
  return checked_name(rc, name, cap, cch);
}

LONG pwm_reg_query_value(const pwm_reg *reg, HANDLE key, const WCHAR *name,
                         DWORD *type, BYTE *data, DWORD *cb) {
  DWORD cb_cap = *cb;
  LONG rc;
  if (reg->win32)
    rc = RegQueryValueExW((HKEY)key, name, NULL, type, data, cb);
  else
    rc = reg->mreg->fpQueryValue(key, name, type, data, cb, reg->spooler);
  if (rc == ERROR_SUCCESS && *cb > cb_cap)
    return ERROR_MORE_DATA;
  return rc;
}

LONG pwm_reg_set_sz(const pwm_reg *reg, HANDLE key, const WCHAR *name,
                    const WCHAR *value) {
  size_t cb = (wcslen(value) + 1) * sizeof *value;
  if (cb > MAXDWORD)
    return ERROR_INVALID_PARAMETER;
  if (reg->win32)
    return RegSetValueExW((HKEY)key, name, 0, REG_SZ, (const BYTE *)value,
                          (DWORD)cb);
  return reg->mreg->fpSetValue(key, name, REG_SZ, (const BYTE *)value,
                               (DWORD)cb, reg->spooler);
}

LONG pwm_reg_delete_value(const pwm_reg *reg, HANDLE key, const WCHAR *name) {
  if (reg->win32)
    return RegDeleteValueW((HKEY)key, name);
  return reg->mreg->fpDeleteValue(key, name, reg->spooler);
}

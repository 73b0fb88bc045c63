/* portway — registry access for the config store: MONITORREG callbacks or,
 * where the spooler only stubs them (Wine answers every callback with
 * ERROR_CALL_NOT_IMPLEMENTED), the Win32 registry at the monitor's own key
 * HKLM\SYSTEM\CurrentControlSet\Control\Print\Monitors\<name>.
 *
 * This file and nothing else in the DLL calls the registry. */
#include <string.h>
#include <wchar.h>

#include "monitor/regkey.h"

#define MONITORS_KEY L"SYSTEM\\CurrentControlSet\\Control\\Print\\Monitors"
#define KEY_NAME_MAX 256  /* registry key names are at most 255 units */
#define TREE_MAX_DEPTH 16 /* deeper trees below a port key are hostile */
#define TREE_MAX_CHILDREN 4096

/* ---- choosing the backend ---- */

static int mreg_complete(const MONITORREG *m) {
  return m->fpCreateKey && m->fpOpenKey && m->fpCloseKey && m->fpDeleteKey &&
         m->fpEnumKey && m->fpSetValue && m->fpDeleteValue && m->fpEnumValue &&
         m->fpQueryValue;
}

static const WCHAR *file_part(const WCHAR *path) {
  const WCHAR *p = path;
  for (const WCHAR *s = path; *s; s++)
    if (*s == L'\\' || *s == L'/' || *s == L':')
      p = s + 1;
  return p;
}

/* File name of this DLL ("portway.dll" unless renamed). */
static BOOL own_file_name(WCHAR *buf, DWORD cap) {
  HMODULE self = NULL;
  if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                              GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                          (LPCWSTR)(void *)own_file_name, &self))
    return FALSE;
  DWORD n = GetModuleFileNameW(self, buf, cap);
  if (n == 0 || n >= cap)
    return FALSE;
  const WCHAR *name = file_part(buf);
  memmove(buf, name, (wcslen(name) + 1) * sizeof *buf);
  return buf[0] != 0;
}

/* Does Monitors\<monitor> have Driver = our file name (any directory)? */
static BOOL driver_is_us(HKEY monitors, const WCHAR *monitor,
                         const WCHAR *self) {
  HKEY key;
  WCHAR driver[MAX_PATH + 1];
  DWORD type = 0, cb = sizeof driver - sizeof driver[0];
  BOOL match = FALSE;
  if (RegOpenKeyExW(monitors, monitor, 0, KEY_QUERY_VALUE, &key) !=
      ERROR_SUCCESS)
    return FALSE;
  LONG rc = RegQueryValueExW(key, L"Driver", NULL, &type, (BYTE *)driver, &cb);
  RegCloseKey(key);
  if (rc == ERROR_SUCCESS && (type == REG_SZ || type == REG_EXPAND_SZ) &&
      cb % sizeof driver[0] == 0) {
    driver[cb / sizeof driver[0]] = 0; /* terminated whatever was stored */
    match = _wcsicmp(file_part(driver), self) == 0;
  }
  return match;
}

/* The name we were installed under: the monitor whose Driver is this DLL,
 * "portway" if that is one of several, else "portway". */
static void installed_name(WCHAR *name, size_t cap) {
  WCHAR self[MAX_PATH + 1];
  HKEY monitors;
  wcsncpy(name, PWM_MONITOR_NAME_W, cap - 1);
  name[cap - 1] = 0;
  if (!own_file_name(self, MAX_PATH + 1) ||
      RegOpenKeyExW(HKEY_LOCAL_MACHINE, MONITORS_KEY, 0, KEY_READ, &monitors) !=
          ERROR_SUCCESS)
    return;
  BOOL found = FALSE;
  for (DWORD i = 0; i < TREE_MAX_CHILDREN; i++) {
    WCHAR sub[KEY_NAME_MAX];
    DWORD cch = KEY_NAME_MAX;
    LONG rc = RegEnumKeyExW(monitors, i, sub, &cch, NULL, NULL, NULL, NULL);
    if (rc == ERROR_MORE_DATA)
      continue;
    if (rc != ERROR_SUCCESS)
      break;
    if (cch >= cap || !driver_is_us(monitors, sub, self))
      continue;
    if (_wcsicmp(sub, PWM_MONITOR_NAME_W) == 0) {
      wcscpy(name, PWM_MONITOR_NAME_W);
      break; /* preferred over any other match */
    }
    if (!found) {
      wcscpy(name, sub);
      found = TRUE;
    }
  }
  RegCloseKey(monitors);
}

static LONG open_fallback_root(HKEY *out) {
  WCHAR path[sizeof MONITORS_KEY / sizeof(WCHAR) + 1 + KEY_NAME_MAX];
  WCHAR name[KEY_NAME_MAX];
  installed_name(name, KEY_NAME_MAX);
  wcscpy(path, MONITORS_KEY L"\\");
  wcscat(path, name);
  LONG rc = RegCreateKeyExW(HKEY_LOCAL_MACHINE, path, 0, NULL,
                            REG_OPTION_NON_VOLATILE, KEY_READ | KEY_WRITE, NULL,
                            out, NULL);
  if (rc == ERROR_ACCESS_DENIED) /* not admin: serve reads, writes fail */
    rc = RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_READ, out);
  return rc;
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
  LONG rc = open_fallback_root(&root);
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
  DWORD cap = *cch, cb_cap = *cb;
  LONG rc;
  if (cap == 0)
    return ERROR_MORE_DATA;
  name[0] = 0;
  if (reg->win32)
    rc = RegEnumValueW((HKEY)key, index, name, cch, NULL, type, data, cb);
  else
    rc = reg->mreg->fpEnumValue(key, index, name, cch, type, data, cb,
                                reg->spooler);
  if (rc == ERROR_SUCCESS && *cb > cb_cap)
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

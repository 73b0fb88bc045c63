/* portway tests — in-memory MONITORREG; see memreg.h. */
#include "memreg.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define HANDLE_MAGIC 0x6d726b68u /* "mrkh" */

typedef struct mr_value {
  WCHAR *name;
  DWORD type;
  BYTE *data;
  DWORD cb;
} mr_value;

typedef struct mr_key {
  WCHAR *name;
  struct mr_key *parent;
  struct mr_key **kids;
  size_t nkids;
  mr_value *vals;
  size_t nvals;
  int deleted;
  struct mr_key *all_next; /* every key ever made, freed at the end */
} mr_key;

typedef struct mr_handle {
  DWORD magic;
  mr_key *key;
  int closed;
  struct mr_handle *all_next;
} mr_handle;

struct memreg {
  CRITICAL_SECTION cs;
  mr_key *root;
  mr_key *all_keys;
  mr_handle *all_handles;
  mr_handle *root_handle;
  LONG calls;
  LONG open_handles;
  /* Handle records live in their own heap: they are kept after close (to
   * catch use of a closed handle), so a test that measures the monitor's
   * heap over thousands of jobs must be able to leave them out. */
  HANDLE handle_heap;
};

static WCHAR *wdup(const WCHAR *s, size_t n) {
  WCHAR *d = malloc((n + 1) * sizeof *d);
  if (d) {
    memcpy(d, s, n * sizeof *d);
    d[n] = 0;
  }
  return d;
}

static mr_key *key_new(memreg *m, mr_key *parent, const WCHAR *name, size_t n) {
  mr_key *k = calloc(1, sizeof *k);
  if (!k)
    return NULL;
  k->name = wdup(name, n);
  k->parent = parent;
  k->all_next = m->all_keys;
  m->all_keys = k;
  if (parent) {
    mr_key **kids =
        realloc(parent->kids, (parent->nkids + 1) * sizeof *parent->kids);
    if (!kids)
      return NULL;
    parent->kids = kids;
    parent->kids[parent->nkids++] = k;
  }
  return k;
}

static mr_key *child(mr_key *k, const WCHAR *name, size_t n) {
  for (size_t i = 0; i < k->nkids; i++)
    if (wcslen(k->kids[i]->name) == n &&
        _wcsnicmp(k->kids[i]->name, name, n) == 0)
      return k->kids[i];
  return NULL;
}

/* Walk (and with create, make) a '\'-separated path below k. */
static mr_key *walk(memreg *m, mr_key *k, const WCHAR *path, int create,
                    int *created) {
  const WCHAR *p = path ? path : L"";
  while (*p && k) {
    const WCHAR *end = wcschr(p, L'\\');
    size_t n = end ? (size_t)(end - p) : wcslen(p);
    if (n) {
      mr_key *c = child(k, p, n);
      if (!c && create) {
        c = key_new(m, k, p, n);
        if (created)
          *created = 1;
      }
      k = c;
    }
    p += n + (end ? 1 : 0);
  }
  return k;
}

static mr_handle *handle_new(memreg *m, mr_key *k) {
  mr_handle *h = HeapAlloc(m->handle_heap, HEAP_ZERO_MEMORY, sizeof *h);
  if (!h)
    return NULL;
  h->magic = HANDLE_MAGIC;
  h->key = k;
  h->all_next = m->all_handles;
  m->all_handles = h;
  return h;
}

/* Validate a key handle; LONG error or ERROR_SUCCESS with *k set. */
static LONG handle_key(memreg *m, HANDLE hk, mr_key **k) {
  for (mr_handle *h = m->all_handles; h; h = h->all_next)
    if (h == (mr_handle *)hk) {
      if (h->closed)
        return ERROR_INVALID_HANDLE;
      if (h->key->deleted)
        return ERROR_KEY_DELETED;
      *k = h->key;
      return ERROR_SUCCESS;
    }
  return ERROR_INVALID_HANDLE;
}

static mr_value *find_value(mr_key *k, const WCHAR *name) {
  const WCHAR *n = name ? name : L"";
  for (size_t i = 0; i < k->nvals; i++)
    if (_wcsicmp(k->vals[i].name, n) == 0)
      return &k->vals[i];
  return NULL;
}

/* Every callback: find the store, lock, count, validate the key. */
#define ENTER(hspooler, hkey)                                                  \
  memreg *m = (memreg *)(hspooler);                                            \
  mr_key *k = NULL;                                                            \
  EnterCriticalSection(&m->cs);                                                \
  m->calls++;                                                                  \
  LONG rc = handle_key(m, (hkey), &k);                                         \
  if (rc != ERROR_SUCCESS)                                                     \
    goto out;

#define LEAVE                                                                  \
  out:                                                                         \
  LeaveCriticalSection(&m->cs);                                                \
  return rc;

static LONG WINAPI mr_create_key(HANDLE hcKey, LPCWSTR pszSubKey,
                                 DWORD dwOptions, REGSAM samDesired,
                                 PSECURITY_ATTRIBUTES sa, PHANDLE phckResult,
                                 PDWORD pdwDisposition, HANDLE hSpooler) {
  (void)dwOptions;
  (void)samDesired;
  (void)sa;
  ENTER(hSpooler, hcKey)
  int created = 0;
  if (!phckResult) {
    rc = ERROR_INVALID_PARAMETER;
    goto out;
  }
  mr_key *sub = walk(m, k, pszSubKey, 1, &created);
  mr_handle *h = sub ? handle_new(m, sub) : NULL;
  if (!h) {
    rc = ERROR_NOT_ENOUGH_MEMORY;
    goto out;
  }
  m->open_handles++;
  *phckResult = (HANDLE)h;
  if (pdwDisposition)
    *pdwDisposition = created ? REG_CREATED_NEW_KEY : REG_OPENED_EXISTING_KEY;
  LEAVE
}

static LONG WINAPI mr_open_key(HANDLE hcKey, LPCWSTR pszSubKey,
                               REGSAM samDesired, PHANDLE phkResult,
                               HANDLE hSpooler) {
  (void)samDesired;
  ENTER(hSpooler, hcKey)
  if (!phkResult) {
    rc = ERROR_INVALID_PARAMETER;
    goto out;
  }
  mr_key *sub = walk(m, k, pszSubKey, 0, NULL);
  if (!sub) {
    rc = ERROR_FILE_NOT_FOUND;
    goto out;
  }
  mr_handle *h = handle_new(m, sub);
  if (!h) {
    rc = ERROR_NOT_ENOUGH_MEMORY;
    goto out;
  }
  m->open_handles++;
  *phkResult = (HANDLE)h;
  LEAVE
}

static LONG WINAPI mr_close_key(HANDLE hcKey, HANDLE hSpooler) {
  memreg *m = (memreg *)hSpooler;
  LONG rc = ERROR_INVALID_HANDLE;
  EnterCriticalSection(&m->cs);
  m->calls++;
  for (mr_handle *h = m->all_handles; h; h = h->all_next)
    if (h == (mr_handle *)hcKey && !h->closed && h != m->root_handle) {
      h->closed = 1;
      m->open_handles--;
      rc = ERROR_SUCCESS;
    }
  LeaveCriticalSection(&m->cs);
  return rc;
}

static LONG WINAPI mr_delete_key(HANDLE hcKey, LPCWSTR pszSubKey,
                                 HANDLE hSpooler) {
  ENTER(hSpooler, hcKey)
  mr_key *sub = pszSubKey && *pszSubKey ? walk(m, k, pszSubKey, 0, NULL) : NULL;
  if (!sub) {
    rc = ERROR_FILE_NOT_FOUND;
    goto out;
  }
  if (sub->nkids) {
    rc = ERROR_ACCESS_DENIED; /* like RegDeleteKey: subkeys first */
    goto out;
  }
  mr_key *p = sub->parent;
  for (size_t i = 0; i < p->nkids; i++)
    if (p->kids[i] == sub) {
      memmove(&p->kids[i], &p->kids[i + 1],
              (p->nkids - i - 1) * sizeof *p->kids);
      p->nkids--;
      break;
    }
  sub->deleted = 1;
  LEAVE
}

static LONG WINAPI mr_enum_key(HANDLE hcKey, DWORD dwIndex, LPWSTR pszName,
                               PDWORD pcchName, PFILETIME ft, HANDLE hSpooler) {
  ENTER(hSpooler, hcKey)
  if (!pszName || !pcchName) {
    rc = ERROR_INVALID_PARAMETER;
    goto out;
  }
  if (dwIndex >= k->nkids) {
    rc = ERROR_NO_MORE_ITEMS;
    goto out;
  }
  DWORD len = (DWORD)wcslen(k->kids[dwIndex]->name);
  if (*pcchName < len + 1) {
    *pcchName = len + 1;
    rc = ERROR_MORE_DATA;
    goto out;
  }
  memcpy(pszName, k->kids[dwIndex]->name, (len + 1) * sizeof(WCHAR));
  *pcchName = len;
  if (ft)
    memset(ft, 0, sizeof *ft);
  LEAVE
}

static LONG WINAPI mr_query_info_key(HANDLE hcKey, PDWORD pcSubKeys,
                                     PDWORD pcbKey, PDWORD pcValues,
                                     PDWORD pcbValue, PDWORD pcbData,
                                     PDWORD pcbSecurityDescriptor, PFILETIME ft,
                                     HANDLE hSpooler) {
  ENTER(hSpooler, hcKey)
  DWORD max_key = 0, max_val = 0, max_data = 0;
  for (size_t i = 0; i < k->nkids; i++)
    if (wcslen(k->kids[i]->name) > max_key)
      max_key = (DWORD)wcslen(k->kids[i]->name);
  for (size_t i = 0; i < k->nvals; i++) {
    if (wcslen(k->vals[i].name) > max_val)
      max_val = (DWORD)wcslen(k->vals[i].name);
    if (k->vals[i].cb > max_data)
      max_data = k->vals[i].cb;
  }
  if (pcSubKeys)
    *pcSubKeys = (DWORD)k->nkids;
  if (pcbKey)
    *pcbKey = max_key;
  if (pcValues)
    *pcValues = (DWORD)k->nvals;
  if (pcbValue)
    *pcbValue = max_val;
  if (pcbData)
    *pcbData = max_data;
  if (pcbSecurityDescriptor)
    *pcbSecurityDescriptor = 0;
  if (ft)
    memset(ft, 0, sizeof *ft);
  LEAVE
}

static LONG set_value(mr_key *k, const WCHAR *name, DWORD type,
                      const BYTE *data, DWORD cb) {
  mr_value *v = find_value(k, name);
  BYTE *copy = malloc(cb ? cb : 1);
  if (!copy)
    return ERROR_NOT_ENOUGH_MEMORY;
  if (cb)
    memcpy(copy, data, cb);
  if (!v) {
    mr_value *vals = realloc(k->vals, (k->nvals + 1) * sizeof *vals);
    if (!vals) {
      free(copy);
      return ERROR_NOT_ENOUGH_MEMORY;
    }
    k->vals = vals;
    v = &k->vals[k->nvals++];
    v->name = wdup(name ? name : L"", wcslen(name ? name : L""));
  } else {
    free(v->data);
  }
  v->type = type;
  v->data = copy;
  v->cb = cb;
  return ERROR_SUCCESS;
}

static LONG WINAPI mr_set_value(HANDLE hcKey, LPCWSTR pszValue, DWORD dwType,
                                const BYTE *pData, DWORD cbData,
                                HANDLE hSpooler) {
  ENTER(hSpooler, hcKey)
  if (!pData && cbData) {
    rc = ERROR_INVALID_PARAMETER;
    goto out;
  }
  rc = set_value(k, pszValue, dwType, pData, cbData);
  LEAVE
}

static LONG WINAPI mr_delete_value(HANDLE hcKey, LPCWSTR pszValue,
                                   HANDLE hSpooler) {
  ENTER(hSpooler, hcKey)
  mr_value *v = find_value(k, pszValue);
  if (!v) {
    rc = ERROR_FILE_NOT_FOUND;
    goto out;
  }
  free(v->name);
  free(v->data);
  size_t i = (size_t)(v - k->vals);
  memmove(&k->vals[i], &k->vals[i + 1], (k->nvals - i - 1) * sizeof *v);
  k->nvals--;
  LEAVE
}

/* Copy a value's data out with RegQueryValueEx's size rules. */
static LONG copy_data(const mr_value *v, PDWORD pType, PBYTE pData,
                      PDWORD pcbData) {
  if (pType)
    *pType = v->type;
  if (!pcbData)
    return pData ? ERROR_INVALID_PARAMETER : ERROR_SUCCESS;
  if (pData && *pcbData < v->cb) {
    *pcbData = v->cb;
    return ERROR_MORE_DATA;
  }
  if (pData)
    memcpy(pData, v->data, v->cb);
  *pcbData = v->cb;
  return ERROR_SUCCESS;
}

static LONG WINAPI mr_enum_value(HANDLE hcKey, DWORD dwIndex, LPWSTR pszValue,
                                 PDWORD pcchValue, PDWORD pType, PBYTE pData,
                                 PDWORD pcbData, HANDLE hSpooler) {
  ENTER(hSpooler, hcKey)
  if (!pszValue || !pcchValue) {
    rc = ERROR_INVALID_PARAMETER;
    goto out;
  }
  if (dwIndex >= k->nvals) {
    rc = ERROR_NO_MORE_ITEMS;
    goto out;
  }
  const mr_value *v = &k->vals[dwIndex];
  DWORD len = (DWORD)wcslen(v->name);
  if (*pcchValue < len + 1) {
    *pcchValue = len + 1;
    rc = ERROR_MORE_DATA;
    goto out;
  }
  memcpy(pszValue, v->name, (len + 1) * sizeof(WCHAR));
  *pcchValue = len;
  rc = copy_data(v, pType, pData, pcbData);
  LEAVE
}

static LONG WINAPI mr_query_value(HANDLE hcKey, LPCWSTR pszValue, PDWORD pType,
                                  PBYTE pData, PDWORD pcbData,
                                  HANDLE hSpooler) {
  ENTER(hSpooler, hcKey)
  const mr_value *v = find_value(k, pszValue);
  rc = v ? copy_data(v, pType, pData, pcbData) : ERROR_FILE_NOT_FOUND;
  LEAVE
}

/* ---- public ---- */

memreg *memreg_new(void) {
  memreg *m = calloc(1, sizeof *m);
  if (!m)
    return NULL;
  InitializeCriticalSection(&m->cs);
  m->handle_heap = HeapCreate(0, 0, 0);
  if (!m->handle_heap) {
    DeleteCriticalSection(&m->cs);
    free(m);
    return NULL;
  }
  m->root = key_new(m, NULL, L"", 0);
  m->root_handle = m->root ? handle_new(m, m->root) : NULL;
  if (!m->root_handle) {
    memreg_free(m);
    return NULL;
  }
  return m;
}

void memreg_free(memreg *m) {
  if (!m)
    return;
  for (mr_key *k = m->all_keys, *next; k; k = next) {
    next = k->all_next;
    for (size_t i = 0; i < k->nvals; i++) {
      free(k->vals[i].name);
      free(k->vals[i].data);
    }
    free(k->vals);
    free(k->kids);
    free(k->name);
    free(k);
  }
  HeapDestroy(m->handle_heap); /* every handle record */
  DeleteCriticalSection(&m->cs);
  free(m);
}

void memreg_fill_init(memreg *m, MONITORINIT *init, MONITORREG *reg) {
  memset(reg, 0, sizeof *reg);
  reg->cbSize = sizeof *reg;
  reg->fpCreateKey = mr_create_key;
  reg->fpOpenKey = mr_open_key;
  reg->fpCloseKey = mr_close_key;
  reg->fpDeleteKey = mr_delete_key;
  reg->fpEnumKey = mr_enum_key;
  reg->fpQueryInfoKey = mr_query_info_key;
  reg->fpSetValue = mr_set_value;
  reg->fpDeleteValue = mr_delete_value;
  reg->fpEnumValue = mr_enum_value;
  reg->fpQueryValue = mr_query_value;
  memset(init, 0, sizeof *init);
  init->cbSize = sizeof *init;
  init->hSpooler = (HANDLE)m;
  init->hckRegistryRoot = (HKEYMONITOR)m->root_handle;
  init->pMonitorReg = reg;
  init->bLocal = TRUE;
  init->pszServerName = NULL;
}

HANDLE memreg_handle_heap(memreg *m) {
  return m->handle_heap;
}

LONG memreg_calls(memreg *m) {
  EnterCriticalSection(&m->cs);
  LONG n = m->calls;
  LeaveCriticalSection(&m->cs);
  return n;
}

LONG memreg_open_handles(memreg *m) {
  EnterCriticalSection(&m->cs);
  LONG n = m->open_handles;
  LeaveCriticalSection(&m->cs);
  return n;
}

BOOL memreg_key_exists(memreg *m, const WCHAR *path) {
  EnterCriticalSection(&m->cs);
  BOOL ok = walk(m, m->root, path, 0, NULL) != NULL;
  LeaveCriticalSection(&m->cs);
  return ok;
}

BOOL memreg_get_sz(memreg *m, const WCHAR *path, const WCHAR *value, WCHAR *buf,
                   size_t cap) {
  BOOL ok = FALSE;
  EnterCriticalSection(&m->cs);
  mr_key *k = walk(m, m->root, path, 0, NULL);
  mr_value *v = k ? find_value(k, value) : NULL;
  if (v && v->type == REG_SZ && v->cb / sizeof(WCHAR) < cap) {
    memcpy(buf, v->data, v->cb);
    buf[v->cb / sizeof(WCHAR)] = 0;
    ok = TRUE;
  }
  LeaveCriticalSection(&m->cs);
  return ok;
}

BOOL memreg_set(memreg *m, const WCHAR *path, const WCHAR *value, DWORD type,
                const void *data, DWORD cb) {
  EnterCriticalSection(&m->cs);
  mr_key *k = walk(m, m->root, path, 1, NULL);
  BOOL ok = k && set_value(k, value, type, data, cb) == ERROR_SUCCESS;
  LeaveCriticalSection(&m->cs);
  return ok;
}

int memreg_value_count(memreg *m, const WCHAR *path) {
  EnterCriticalSection(&m->cs);
  mr_key *k = walk(m, m->root, path, 0, NULL);
  int n = k ? (int)k->nvals : -1;
  LeaveCriticalSection(&m->cs);
  return n;
}

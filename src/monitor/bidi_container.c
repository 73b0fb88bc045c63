/* portway — Bidi containers and the spooler's allocator (bidi_container.h).
 * Shared with the language monitor's DLL: no monitor/front.h here. */
#include "monitor/bidi_container.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "portway/error.h"
#include "portway/utf.h"

#define PWB_SAME_(a, b) ((int)(a) == (int)(b))
_Static_assert(PWB_SAME_(PW_BIDI_NULL, BIDI_NULL) &&
                   PWB_SAME_(PW_BIDI_INT, BIDI_INT) &&
                   PWB_SAME_(PW_BIDI_BOOL, BIDI_BOOL) &&
                   PWB_SAME_(PW_BIDI_STRING, BIDI_STRING) &&
                   PWB_SAME_(PW_BIDI_TEXT, BIDI_TEXT) &&
                   PWB_SAME_(PW_BIDI_ENUM, BIDI_ENUM) &&
                   PWB_SAME_(PW_BIDI_BLOB, BIDI_BLOB),
               "portable BIDI_TYPE values");
_Static_assert(PW_BIDI_NO_DATA == ERROR_NO_DATA &&
                   PW_BIDI_NOT_SUPPORTED == ERROR_BIDI_NOT_SUPPORTED &&
                   PW_BIDI_STATUS_WARNING == ERROR_BIDI_STATUS_WARNING &&
                   PW_BIDI_SCHEMA_READ_ONLY == ERROR_BIDI_SCHEMA_READ_ONLY &&
                   PW_BIDI_DEVICE_OFFLINE == ERROR_BIDI_DEVICE_OFFLINE &&
                   PW_BIDI_SCHEMA_NOT_SUPPORTED ==
                       ERROR_BIDI_SCHEMA_NOT_SUPPORTED,
               "portable Bidi result codes");
_Static_assert(sizeof(WCHAR) == sizeof(uint16_t), "WCHAR is UTF-16");

/* ---- the allocator ---- */

/* Process-wide by nature (which functions this process provides), written
 * once under the INIT_ONCE, read-only afterwards. */
static INIT_ONCE router_once = INIT_ONCE_STATIC_INIT;
static pwb_router router;
static BOOL router_found;

typedef void (*any_fn)(void);

static BOOL router_from(HMODULE m, pwb_router *r) {
  if (!m)
    return FALSE;
  FARPROC ac = GetProcAddress(m, "RouterAllocBidiResponseContainer");
  FARPROC am = GetProcAddress(m, "RouterAllocBidiMem");
  FARPROC fc = GetProcAddress(m, "RouterFreeBidiResponseContainer");
  FARPROC fm = GetProcAddress(m, "RouterFreeBidiMem");
  if (!ac || !am || !fc || !fm)
    return FALSE;
  /* FARPROC to the real prototypes, through a generic function type. */
  r->alloc_container = (PBIDI_RESPONSE_CONTAINER(WINAPI *)(DWORD))(any_fn)ac;
  r->alloc_mem = (PVOID(WINAPI *)(size_t))(any_fn)am;
  r->free_container = (DWORD(WINAPI *)(PBIDI_RESPONSE_CONTAINER))(any_fn)fc;
  r->free_mem = (VOID(WINAPI *)(PVOID))(any_fn)fm;
  return TRUE;
}

static BOOL CALLBACK router_resolve(PINIT_ONCE once, PVOID param,
                                    PVOID *context) {
  (void)once;
  (void)param;
  (void)context;
  /* spoolss.dll from System32 (the spooler has it loaded already). It
   * stays loaded: the answers outlive the call and are freed with it. */
  WCHAR path[MAX_PATH + 16];
  UINT n = GetSystemDirectoryW(path, MAX_PATH);
  HMODULE spoolss = NULL;
  if (n > 0 && n < MAX_PATH) {
    wcscat(path, L"\\spoolss.dll");
    spoolss = LoadLibraryW(path);
  }
  router_found = router_from(spoolss, &router);
  if (!router_found && spoolss)
    FreeLibrary(spoolss);
  /* A spooler simulator exports the four itself. */
  if (!router_found)
    router_found = router_from(GetModuleHandleW(NULL), &router);
  return TRUE;
}

const pwb_router *pwb_router_get(void) {
  if (!InitOnceExecuteOnce(&router_once, router_resolve, NULL, NULL))
    return NULL;
  return router_found ? &router : NULL;
}

/* ---- in ---- */

/* A caller's string of at most max units as UTF-8 (malloc'd): PW_OK,
 * PW_ENAMETOOLONG, PW_EBADDATA, PW_EINVAL (NULL), PW_ENOMEM. */
static int to_utf8(LPCWSTR s, size_t max, char **out) {
  uint16_t units[PW_BIDI_MAX_PATH + 1];
  *out = NULL;
  if (!s)
    return PW_EINVAL;
  size_t n = wcsnlen(s, max + 1);
  if (n > max || n > PW_BIDI_MAX_PATH)
    return PW_ENAMETOOLONG;
  if (n == 0)
    return PW_EBADDATA;
  memcpy(units, s, n * sizeof *units);
  return pw_utf16_to_utf8(units, n, out);
}

DWORD pwb_action(LPCWSTR pAction, pw_bidi_action *action, char *name,
                 size_t cap) {
  char *s = NULL;
  if (!pAction || !action)
    return ERROR_INVALID_PARAMETER;
  int rc = to_utf8(pAction, PWB_MAX_ACTION, &s);
  if (rc == PW_ENOMEM)
    return ERROR_NOT_ENOUGH_MEMORY;
  if (rc != PW_OK || pw_bidi_action_parse(s, action) != PW_OK ||
      strlen(s) >= cap) {
    free(s);
    return ERROR_NOT_SUPPORTED;
  }
  memcpy(name, s, strlen(s) + 1);
  free(s);
  return ERROR_SUCCESS;
}

void pwb_requests_free(pwb_requests *r) {
  for (size_t i = 0; r->paths && i < r->n; i++)
    free(r->paths[i]);
  free(r->paths);
  free(r->reqs);
  memset(r, 0, sizeof *r);
}

DWORD pwb_requests_read(const BIDI_REQUEST_CONTAINER *c, pwb_requests *out) {
  memset(out, 0, sizeof *out);
  if (!c || c->Version != 1 || c->Count == 0 || c->Count > PW_BIDI_MAX_REQUESTS)
    return ERROR_INVALID_PARAMETER;
  out->reqs = calloc(c->Count, sizeof *out->reqs);
  out->paths = calloc(c->Count, sizeof *out->paths);
  out->n = c->Count;
  if (!out->reqs || !out->paths) {
    pwb_requests_free(out);
    return ERROR_NOT_ENOUGH_MEMORY;
  }
  for (DWORD i = 0; i < c->Count; i++) {
    /* aData is the caller's array of Count entries (aData[1] in the
     * header is a variable-length array). */
    const BIDI_REQUEST_DATA *d = &c->aData[i];
    if (to_utf8(d->pSchema, PW_BIDI_MAX_PATH, &out->paths[i]) == PW_ENOMEM) {
      pwb_requests_free(out);
      return ERROR_NOT_ENOUGH_MEMORY;
    }
    out->reqs[i].req = d->dwReqNumber;
    out->reqs[i].schema = out->paths[i]; /* NULL: not supported */
  }
  return ERROR_SUCCESS;
}

/* ---- out ---- */

/* UTF-8 as a UTF-16 string in the spooler's memory; NULL when out of
 * memory (or, impossibly, for text that is not UTF-8). */
static LPWSTR to_wide(const pwb_router *r, const char *s) {
  uint16_t *w = NULL;
  size_t units = 0;
  if (pw_utf8_to_utf16(s, &w, &units) != PW_OK)
    return NULL;
  LPWSTR out = r->alloc_mem((units + 1) * sizeof(WCHAR));
  if (out)
    memcpy(out, w, (units + 1) * sizeof(WCHAR));
  free(w);
  return out;
}

static void free_strings(const pwb_router *r, PBIDI_RESPONSE_CONTAINER c,
                         DWORD n) {
  for (DWORD i = 0; i < n; i++) {
    BIDI_RESPONSE_DATA *d = &c->aData[i];
    if (d->pSchema)
      r->free_mem(d->pSchema);
    d->pSchema = NULL;
    if ((d->data.dwBidiType == BIDI_STRING || d->data.dwBidiType == BIDI_TEXT ||
         d->data.dwBidiType == BIDI_ENUM) &&
        d->data.u.sData)
      r->free_mem(d->data.u.sData);
    d->data.u.sData = NULL;
    d->data.dwBidiType = BIDI_NULL;
  }
}

static BOOL fill(const pwb_router *r, BIDI_RESPONSE_DATA *d,
                 const pw_bidi_value *v) {
  d->dwResult = v->result;
  d->dwReqNumber = v->req;
  d->pSchema = NULL;
  d->data.dwBidiType = BIDI_NULL;
  if (v->schema && !(d->pSchema = to_wide(r, v->schema)))
    return FALSE;
  switch (v->type) {
  case PW_BIDI_INT:
    d->data.u.iData = v->i;
    break;
  case PW_BIDI_BOOL:
    d->data.u.bData = v->i ? TRUE : FALSE;
    break;
  case PW_BIDI_STRING:
  case PW_BIDI_TEXT:
  case PW_BIDI_ENUM:
    if (!v->text || !(d->data.u.sData = to_wide(r, v->text)))
      return FALSE;
    break;
  case PW_BIDI_NULL:
  case PW_BIDI_FLOAT:
  case PW_BIDI_BLOB:
    break; /* the model makes no FLOAT or BLOB values */
  }
  d->data.dwBidiType = (DWORD)v->type;
  return TRUE;
}

DWORD pwb_response_build(const pwb_router *r, const pw_bidi_response *resp,
                         PBIDI_RESPONSE_CONTAINER *out) {
  *out = NULL;
  if (!r || !resp || resp->count > PW_BIDI_MAX_REQUESTS * 128u)
    return ERROR_INVALID_PARAMETER;
  DWORD n = (DWORD)resp->count;
  PBIDI_RESPONSE_CONTAINER c = r->alloc_container(n);
  if (!c)
    return ERROR_NOT_ENOUGH_MEMORY;
  c->Version = 1;
  c->Flags = 0;
  c->Count = n;
  if (n > 0)
    memset(c->aData, 0, n * sizeof c->aData[0]);
  for (DWORD i = 0; i < n; i++) {
    if (!fill(r, &c->aData[i], &resp->values[i])) {
      /* Free what was allocated ourselves rather than count on the
       * spooler's free walking half-built entries. */
      free_strings(r, c, i + 1);
      c->Count = 0;
      r->free_container(c);
      return ERROR_NOT_ENOUGH_MEMORY;
    }
  }
  *out = c;
  return pw_bidi_response_has_errors(resp) ? ERROR_BIDI_STATUS_WARNING
                                           : ERROR_SUCCESS;
}

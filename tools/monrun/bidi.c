/* monrun — "bidi": SendRecvBidiDataFromPort on one port, the spooler's way:
 * OpenPort (through the language monitor's OpenPortEx with --lm), one call
 * with a request container, one line per answer on stdout, the answer
 * freed with RouterFreeBidiResponseContainer, ClosePort.
 *
 *   SCHEMA<TAB>result=N<TAB>type=T<TAB>VALUE
 *
 * SCHEMA is the answer's pSchema, else the path of the request it answers
 * (by dwReqNumber), else "-" (EnumSchema answers carry none). N is
 * dwResult in decimal; T is the BIDI_TYPE name; VALUE is the number,
 * "true"/"false", the text (UTF-8; tab, CR and LF as \t \r \n), "N bytes"
 * for a blob, nothing for BIDI_NULL.
 *
 * The spooler's allocator. A monitor allocates its answer with spoolss.dll's
 * RouterAllocBidiResponseContainer / RouterAllocBidiMem and the caller
 * frees it with RouterFreeBidiResponseContainer. Wine 8.0's spoolss.dll has
 * none of these, so monrun, being the spooler here, exports all four itself
 * (HeapAlloc on the process heap); a monitor that finds them missing in
 * spoolss.dll may take them from the executable (portway.dll does,
 * docs/monrun.md). monrun frees with spoolss.dll's when spoolss.dll has all
 * four, else with its own: the same choice the monitor made. */
#include "monrun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* ---- the allocator monrun provides ---- */

__declspec(dllexport) PVOID WINAPI RouterAllocBidiMem(size_t NumBytes) {
  return HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, NumBytes ? NumBytes : 1);
}

__declspec(dllexport) VOID WINAPI RouterFreeBidiMem(PVOID pMemPointer) {
  if (pMemPointer)
    HeapFree(GetProcessHeap(), 0, pMemPointer);
}

/* aData[1] is a variable-length array: room for Count entries (at least
 * one), zeroed. */
__declspec(dllexport) PBIDI_RESPONSE_CONTAINER WINAPI
    RouterAllocBidiResponseContainer(DWORD Count) {
  size_t size = offsetof(BIDI_RESPONSE_CONTAINER, aData) +
                (Count ? Count : 1) * sizeof(BIDI_RESPONSE_DATA);
  PBIDI_RESPONSE_CONTAINER c = RouterAllocBidiMem(size);
  if (c) {
    c->Version = 1;
    c->Count = Count;
  }
  return c;
}

static int is_string_type(DWORD t) {
  return t == BIDI_STRING || t == BIDI_TEXT || t == BIDI_ENUM;
}

__declspec(dllexport) DWORD WINAPI
    RouterFreeBidiResponseContainer(PBIDI_RESPONSE_CONTAINER pData) {
  if (!pData)
    return ERROR_INVALID_PARAMETER;
  for (DWORD i = 0; i < pData->Count; i++) {
    BIDI_RESPONSE_DATA *d = &pData->aData[i];
    RouterFreeBidiMem(d->pSchema);
    if (is_string_type(d->data.dwBidiType))
      RouterFreeBidiMem(d->data.u.sData);
    else if (d->data.dwBidiType == BIDI_BLOB)
      RouterFreeBidiMem(d->data.u.biData.pData);
  }
  RouterFreeBidiMem(pData);
  return ERROR_SUCCESS;
}

typedef DWORD(WINAPI *free_container_fn)(PBIDI_RESPONSE_CONTAINER);

/* spoolss.dll's free when it has the whole allocator, else monrun's. */
static free_container_fn pick_free(const char **from) {
  WCHAR path[MAX_PATH + 16];
  UINT n = GetSystemDirectoryW(path, MAX_PATH);
  HMODULE s = NULL;
  if (n > 0 && n < MAX_PATH) {
    wcscat(path, L"\\spoolss.dll");
    s = LoadLibraryW(path); /* kept: the answer's memory may be its */
  }
  if (s && GetProcAddress(s, "RouterAllocBidiResponseContainer") &&
      GetProcAddress(s, "RouterAllocBidiMem") &&
      GetProcAddress(s, "RouterFreeBidiMem")) {
    FARPROC fc = GetProcAddress(s, "RouterFreeBidiResponseContainer");
    if (fc) {
      *from = "spoolss.dll";
      return (free_container_fn)(void (*)(void))fc;
    }
  }
  *from = "monrun.exe";
  return RouterFreeBidiResponseContainer;
}

/* ---- the command ---- */

static const char *type_name(DWORD t) {
  static const char *const names[] = {"NULL",   "INT",  "FLOAT", "BOOL",
                                      "STRING", "TEXT", "ENUM",  "BLOB"};
  return t < sizeof names / sizeof names[0] ? names[t] : "?";
}

/* Text for a line: UTF-8, with tab, CR and LF escaped. */
static void escaped(const wchar_t *w, char *out, size_t cap) {
  char u8[2048];
  size_t n = 0;
  mr_u8(w, u8, sizeof u8);
  for (const char *p = u8; *p && n + 3 < cap; p++) {
    char e = *p == '\t' ? 't' : *p == '\r' ? 'r' : *p == '\n' ? 'n' : 0;
    if (e) {
      out[n++] = '\\';
      out[n++] = e;
    } else {
      out[n++] = *p;
    }
  }
  out[n] = '\0';
}

static void print_answer(const BIDI_RESPONSE_DATA *d, wchar_t **schemas,
                         int n) {
  char schema[600], value[2100];
  const BIDI_DATA *v = &d->data;
  if (d->pSchema)
    mr_u8(d->pSchema, schema, sizeof schema);
  else if (schemas && d->dwReqNumber < (DWORD)n)
    mr_u8(schemas[d->dwReqNumber], schema, sizeof schema);
  else
    snprintf(schema, sizeof schema, "-");
  value[0] = '\0';
  switch (v->dwBidiType) {
  case BIDI_INT:
    snprintf(value, sizeof value, "%ld", (long)v->u.iData);
    break;
  case BIDI_FLOAT:
    snprintf(value, sizeof value, "%g", (double)v->u.fData);
    break;
  case BIDI_BOOL:
    snprintf(value, sizeof value, "%s", v->u.bData ? "true" : "false");
    break;
  case BIDI_STRING:
  case BIDI_TEXT:
  case BIDI_ENUM:
    if (v->u.sData)
      escaped(v->u.sData, value, sizeof value);
    else
      mr_warn_once("an answer of type %s has no string",
                   type_name(v->dwBidiType));
    break;
  case BIDI_BLOB:
    snprintf(value, sizeof value, "%lu bytes",
             (unsigned long)v->u.biData.cbBuf);
    break;
  default:
    break;
  }
  mr_out("%s\tresult=%lu\ttype=%s\t%s", schema, (unsigned long)d->dwResult,
         type_name(v->dwBidiType), value);
}

/* The contract's checks on an answer (printed once, not fatal). */
static void check_answer(const BIDI_RESPONSE_CONTAINER *r, const wchar_t *act,
                         int n) {
  if (r->Version != 1)
    mr_warn_once("the answer's Version is %lu, not 1",
                 (unsigned long)r->Version);
  int one_each = _wcsicmp(act, BIDI_ACTION_GET) == 0 ||
                 _wcsicmp(act, BIDI_ACTION_SET) == 0;
  if (one_each && r->Count != (DWORD)n)
    mr_warn_once("%lu answers to %d requests", (unsigned long)r->Count, n);
  for (DWORD i = 0; n > 0 && i < r->Count; i++)
    if (r->aData[i].dwReqNumber >= (DWORD)n)
      mr_warn_once("an answer names request %lu of %d",
                   (unsigned long)r->aData[i].dwReqNumber, n);
}

int mr_cmd_bidi(mr_monitor *mon, const mr_opts *o, const wchar_t *port,
                wchar_t **schemas, int n) {
  char e[300], p8[300];
  const wchar_t *act = o->action ? o->action : BIDI_ACTION_GET;
  static wchar_t printer_root[] = L"\\Printer";
  wchar_t *all[] = {printer_root};
  if (n == 0 && _wcsicmp(act, BIDI_ACTION_GET_ALL) == 0) {
    schemas = all; /* GetAll of everything */
    n = 1;
  }
  int enum_schema = _wcsicmp(act, BIDI_ACTION_ENUM_SCHEMA) == 0;
  if (enum_schema && n > 0) {
    mr_err("bidi --action EnumSchema takes no schema path");
    return MR_EXIT_USAGE;
  }
  if (!enum_schema && n == 0) {
    mr_err("bidi: give at least one schema path (\\Printer...)");
    return MR_EXIT_USAGE;
  }
  /* Through the language monitor when one is loaded (--lm): the call the
   * spooler makes for a queue that has one. */
  mr_monitor *target = mon->lm ? mon->lm : mon;
  if (target->legacy || !target->m2.pfnSendRecvBidiDataFromPort) {
    mr_err("the monitor does not implement SendRecvBidiDataFromPort");
    return MR_EXIT_FAILED;
  }
  BIDI_REQUEST_CONTAINER *rq = NULL;
  if (n > 0) {
    rq = calloc(1, offsetof(BIDI_REQUEST_CONTAINER, aData) +
                       (size_t)n * sizeof(BIDI_REQUEST_DATA));
    if (!rq) {
      mr_err("out of memory");
      return MR_EXIT_FAILED;
    }
    rq->Version = 1;
    rq->Count = (DWORD)n;
    for (int i = 0; i < n; i++) {
      rq->aData[i].dwReqNumber = (DWORD)i;
      rq->aData[i].pSchema = schemas[i];
      rq->aData[i].data.dwBidiType = BIDI_NULL;
    }
  }
  HANDLE h = NULL;
  if (!mr_open_port(mon, port, &h)) {
    mr_err("OpenPort %s failed: %s", mr_u8(port, p8, sizeof p8),
           mr_errstr(GetLastError(), e, sizeof e));
    free(rq);
    return MR_EXIT_FAILED;
  }
  const char *from = "";
  free_container_fn free_answer = pick_free(&from);
  PBIDI_RESPONSE_CONTAINER r = NULL;
  double t0 = mr_now();
  DWORD code =
      target->m2.pfnSendRecvBidiDataFromPort(h, BIDI_ACCESS_USER, act, rq, &r);
  mr_info(1, "SendRecvBidiDataFromPort(%s) took %.1f ms: %s",
          mr_u8(act, p8, sizeof p8), (mr_now() - t0) * 1000.0,
          mr_errstr(code, e, sizeof e));
  int rc = MR_EXIT_OK;
  if (code != ERROR_SUCCESS && code != ERROR_BIDI_STATUS_WARNING) {
    mr_err("SendRecvBidiDataFromPort failed: %s", mr_errstr(code, e, sizeof e));
    if (r)
      mr_warn_once("a failed SendRecvBidiDataFromPort left *ppResData set");
    rc = MR_EXIT_FAILED;
  } else if (!r) {
    mr_err("SendRecvBidiDataFromPort succeeded without an answer");
    rc = MR_EXIT_FAILED;
  } else {
    check_answer(r, act, n);
    for (DWORD i = 0; i < r->Count; i++)
      print_answer(&r->aData[i], enum_schema ? NULL : schemas, n);
    if (code == ERROR_BIDI_STATUS_WARNING)
      mr_info(1, "some answers carry an error (ERROR_BIDI_STATUS_WARNING)");
    mr_info(1, "freeing the answer with %s's RouterFreeBidiResponseContainer",
            from);
    free_answer(r);
  }
  if (!mr_close_port(mon, h)) {
    mr_err("ClosePort failed: %s", mr_errstr(GetLastError(), e, sizeof e));
    rc = MR_EXIT_FAILED;
  }
  free(rq);
  return rc;
}

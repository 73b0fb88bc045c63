/* portway.dll — SendRecvBidiDataFromPort through MONITOR2, as a spooler
 * calls it (learn.microsoft.com "SendRecvBidiDataFromPort function", "Bidi
 * Error Codes", BIDI_REQUEST_CONTAINER / BIDI_RESPONSE_CONTAINER): bad
 * arguments, handles and containers, unknown actions, a file port (no
 * Bidi), and an IPP port against a printer in a thread of this test that
 * answers Get-Printer-Attributes with a canned description.
 *
 * This executable plays the spooler, so it exports the spooler's Bidi
 * allocator (RouterAllocBidiResponseContainer & co.): Wine 8.0's
 * spoolss.dll has none of them (src/monitor/bidi_container.h). It counts
 * what it hands out, so every test checks that the answer was allocated
 * with it alone and that RouterFreeBidiResponseContainer frees all of it.
 * Wine's own spooler never calls SendRecvBidiDataFromPort. */
#include "test.h"

#include <winsock2.h>
#include <ws2tcpip.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/ipp.h"
#include "monfix.h"
#include "portway/error.h"

#define DEADBEEF ((HANDLE)(ULONG_PTR)0xdeadbeef)

/* ---- the spooler's allocator ---- */

static volatile LONG live_blocks; /* allocated and not yet freed */

__declspec(dllexport) PVOID WINAPI RouterAllocBidiMem(size_t NumBytes) {
  PVOID p =
      HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, NumBytes ? NumBytes : 1);
  if (p)
    InterlockedIncrement(&live_blocks);
  return p;
}

__declspec(dllexport) VOID WINAPI RouterFreeBidiMem(PVOID pMemPointer) {
  if (pMemPointer && HeapFree(GetProcessHeap(), 0, pMemPointer))
    InterlockedDecrement(&live_blocks);
}

__declspec(dllexport) PBIDI_RESPONSE_CONTAINER WINAPI
    RouterAllocBidiResponseContainer(DWORD Count) {
  size_t n = Count ? Count : 1;
  size_t size =
      offsetof(BIDI_RESPONSE_CONTAINER, aData) + n * sizeof(BIDI_RESPONSE_DATA);
  PBIDI_RESPONSE_CONTAINER c = RouterAllocBidiMem(size);
  if (c) {
    c->Version = 1;
    c->Count = Count;
  }
  return c;
}

__declspec(dllexport) DWORD WINAPI
    RouterFreeBidiResponseContainer(PBIDI_RESPONSE_CONTAINER pData) {
  if (!pData)
    return ERROR_INVALID_PARAMETER;
  for (DWORD i = 0; i < pData->Count; i++) {
    BIDI_RESPONSE_DATA *d = &pData->aData[i];
    RouterFreeBidiMem(d->pSchema);
    if (d->data.dwBidiType == BIDI_STRING || d->data.dwBidiType == BIDI_TEXT ||
        d->data.dwBidiType == BIDI_ENUM)
      RouterFreeBidiMem(d->data.u.sData);
  }
  RouterFreeBidiMem(pData);
  return ERROR_SUCCESS;
}

/* ---- a printer that answers every request with one description ---- */

typedef struct printer {
  SOCKET listener;
  int port;
  HANDLE thread;
  volatile LONG stop;
  volatile LONG served;
  char *reply; /* the whole HTTP response */
  size_t reply_len;
} printer;

static int build_reply(printer *p) {
  static const char *const names[] = {"Black Toner", "Cyan Toner"};
  static const char *const types[] = {"toner", "toner"};
  static const char *const colors[] = {"#000000", "#00FFFF"};
  pw_ipp_writer w = {0};
  pw_ipp_begin(&w, PW_IPP_VERSION_2_0, PW_IPP_STATUS_OK, 1);
  pw_ipp_group(&w, PW_IPP_TAG_OPERATION);
  pw_ipp_add_string(&w, PW_IPP_TAG_CHARSET, "attributes-charset", "utf-8");
  pw_ipp_add_string(&w, PW_IPP_TAG_LANGUAGE, "attributes-natural-language",
                    "en");
  pw_ipp_group(&w, PW_IPP_TAG_PRINTER);
  pw_ipp_add_integer(&w, PW_IPP_TAG_ENUM, "printer-state", 5);
  pw_ipp_add_string(&w, PW_IPP_TAG_KEYWORD, "printer-state-reasons",
                    "media-empty-error");
  pw_ipp_add_string(&w, PW_IPP_TAG_TEXT, "printer-make-and-model",
                    "Example LaserBeam \xc3\x89lite");
  pw_ipp_add_string(&w, PW_IPP_TAG_TEXT, "printer-device-id",
                    "MFG:Example;MDL:LaserBeam \xc3\x89lite;");
  pw_ipp_add_strings(&w, PW_IPP_TAG_NAME, "marker-names", names, 2);
  pw_ipp_add_strings(&w, PW_IPP_TAG_KEYWORD, "marker-types", types, 2);
  pw_ipp_add_strings(&w, PW_IPP_TAG_NAME, "marker-colors", colors, 2);
  pw_ipp_add_integer(&w, PW_IPP_TAG_INTEGER, "marker-levels", 42);
  pw_ipp_add_integer(&w, PW_IPP_TAG_INTEGER, NULL, -2);
  pw_ipp_end(&w);
  if (pw_ipp_writer_status(&w) != PW_OK) {
    pw_ipp_writer_free(&w);
    return 0;
  }
  char head[160];
  int hl = snprintf(head, sizeof head,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/ipp\r\n"
                    "Content-Length: %u\r\nConnection: close\r\n\r\n",
                    (unsigned)w.buf.len);
  p->reply = malloc((size_t)hl + w.buf.len);
  if (p->reply) {
    memcpy(p->reply, head, (size_t)hl);
    memcpy(p->reply + hl, w.buf.data, w.buf.len);
    p->reply_len = (size_t)hl + w.buf.len;
  }
  pw_ipp_writer_free(&w);
  return p->reply != NULL;
}

/* Read the request through its last chunk, answer, hang up. */
static void serve(printer *p, SOCKET s) {
  char buf[8192];
  size_t have = 0;
  while (have < sizeof buf) {
    int n = recv(s, buf + have, (int)(sizeof buf - have), 0);
    if (n <= 0)
      break;
    have += (size_t)n;
    if (have >= 7 && memcmp(buf + have - 7, "\r\n0\r\n\r\n", 7) == 0) {
      (void)send(s, p->reply, (int)p->reply_len, 0);
      InterlockedIncrement(&p->served);
      break;
    }
  }
  closesocket(s);
}

static DWORD WINAPI printer_main(LPVOID arg) {
  printer *p = arg;
  while (!p->stop) {
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(p->listener, &rd);
    struct timeval tv = {0, 50000};
    if (select(0, &rd, NULL, NULL, &tv) <= 0)
      continue;
    SOCKET s = accept(p->listener, NULL, NULL);
    if (s != INVALID_SOCKET)
      serve(p, s);
  }
  return 0;
}

/* A listener on 127.0.0.1; with serve == 0 it never accepts (the
 * connection still completes in the backlog). */
static int printer_start(printer *p, int answer) {
  struct sockaddr_in a;
  int len = sizeof a;
  memset(p, 0, sizeof *p);
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  p->listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (p->listener == INVALID_SOCKET ||
      bind(p->listener, (struct sockaddr *)&a, sizeof a) != 0 ||
      listen(p->listener, 8) != 0 ||
      getsockname(p->listener, (struct sockaddr *)&a, &len) != 0 ||
      !build_reply(p))
    return 0;
  p->port = ntohs(a.sin_port);
  if (answer)
    p->thread = CreateThread(NULL, 0, printer_main, p, 0, NULL);
  return !answer || p->thread != NULL;
}

static void printer_stop(printer *p) {
  InterlockedExchange(&p->stop, 1);
  if (p->thread) {
    WaitForSingleObject(p->thread, 5000);
    CloseHandle(p->thread);
  }
  if (p->listener != INVALID_SOCKET)
    closesocket(p->listener);
  free(p->reply);
}

/* ---- helpers ---- */

static HANDLE open_ipp_port(mt_fx *f, const WCHAR *name, int port) {
  WCHAR cfg[160];
  HANDLE h = NULL;
  swprintf(cfg, 160,
           L"uri=ipp://127.0.0.1:%d/ipp/print\ntimeout=5\n"
           L"connect_timeout=3\n",
           port);
  if (mt_add_port_config(f, name, cfg) != ERROR_SUCCESS ||
      !f->m->pfnOpenPort(f->hmon, (LPWSTR)name, &h))
    return NULL;
  return h;
}

static HANDLE open_file_port(mt_fx *f, const WCHAR *name) {
  HANDLE h = NULL;
  if (mt_add_file_port(f, name, f->dir) != ERROR_SUCCESS ||
      !f->m->pfnOpenPort(f->hmon, (LPWSTR)name, &h))
    return NULL;
  return h;
}

/* A request container of n paths, numbered 10, 20, ... */
static BIDI_REQUEST_CONTAINER *make_reqs(const WCHAR *const *paths, DWORD n) {
  size_t size = offsetof(BIDI_REQUEST_CONTAINER, aData) +
                (n ? n : 1) * sizeof(BIDI_REQUEST_DATA);
  BIDI_REQUEST_CONTAINER *c = calloc(1, size);
  if (!c)
    return NULL;
  c->Version = 1;
  c->Count = n;
  for (DWORD i = 0; i < n; i++) {
    c->aData[i].dwReqNumber = 10 * (i + 1);
    c->aData[i].pSchema = (LPWSTR)paths[i];
    c->aData[i].data.dwBidiType = BIDI_NULL;
  }
  return c;
}

static DWORD call(mt_fx *f, HANDLE h, const WCHAR *action,
                  BIDI_REQUEST_CONTAINER *rq, PBIDI_RESPONSE_CONTAINER *out) {
  *out = (PBIDI_RESPONSE_CONTAINER)DEADBEEF;
  return f->m->pfnSendRecvBidiDataFromPort(h, BIDI_ACCESS_USER, action, rq,
                                           out);
}

/* The answer is the allocator's alone, and freeing it frees it all. */
static int free_answer(PBIDI_RESPONSE_CONTAINER r) {
  if (r)
    RouterFreeBidiResponseContainer(r);
  return live_blocks == 0;
}

#define STATE L"\\Printer.Status.Summary:State"
#define MODEL L"\\Printer.DeviceInfo:ModelName"

/* ---- arguments, handles, containers ---- */

MT_TEST(null_answer_pointer_or_action_is_invalid_parameter) {
  HANDLE h = open_file_port(f, L"PWB1:");
  const WCHAR *paths[] = {STATE};
  BIDI_REQUEST_CONTAINER *rq = make_reqs(paths, 1);
  PBIDI_RESPONSE_CONTAINER r;
  ASSERT(h != NULL && rq != NULL);
  ASSERT_EQ(f->m->pfnSendRecvBidiDataFromPort(h, 0, L"Get", rq, NULL),
            ERROR_INVALID_PARAMETER);
  ASSERT_EQ(call(f, h, NULL, rq, &r), ERROR_INVALID_PARAMETER);
  ASSERT(r == NULL);
  ASSERT(f->m->pfnClosePort(h));
  free(rq);
}

MT_TEST(null_garbage_and_closed_handles_are_invalid_handle) {
  HANDLE h = open_file_port(f, L"PWB2:");
  const WCHAR *paths[] = {STATE};
  BIDI_REQUEST_CONTAINER *rq = make_reqs(paths, 1);
  PBIDI_RESPONSE_CONTAINER r;
  ASSERT(h != NULL && rq != NULL);
  ASSERT(f->m->pfnClosePort(h));
  HANDLE bad[] = {NULL, DEADBEEF, h, (HANDLE)&bad};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ASSERT_EQ(call(f, bad[i], L"Get", rq, &r), ERROR_INVALID_HANDLE);
    ASSERT(r == NULL);
    ASSERT_EQ(call(f, bad[i], L"EnumSchema", NULL, &r), ERROR_INVALID_HANDLE);
    ASSERT(r == NULL);
  }
  free(rq);
}

MT_TEST(a_request_container_must_be_version_1_and_hold_1_to_1024) {
  HANDLE h = open_file_port(f, L"PWB3:");
  const WCHAR *paths[] = {STATE};
  BIDI_REQUEST_CONTAINER *rq = make_reqs(paths, 1);
  PBIDI_RESPONSE_CONTAINER r;
  ASSERT(h != NULL && rq != NULL);
  ASSERT_EQ(call(f, h, L"Get", NULL, &r), ERROR_INVALID_PARAMETER);
  ASSERT(r == NULL);
  rq->Version = 2;
  ASSERT_EQ(call(f, h, L"GetAll", rq, &r), ERROR_INVALID_PARAMETER);
  rq->Version = 1;
  rq->Count = 0;
  ASSERT_EQ(call(f, h, L"Set", rq, &r), ERROR_INVALID_PARAMETER);
  rq->Count = 1025; /* never read: refused before */
  ASSERT_EQ(call(f, h, L"Get", rq, &r), ERROR_INVALID_PARAMETER);
  ASSERT(r == NULL);
  ASSERT(f->m->pfnClosePort(h));
  free(rq);
}

MT_TEST(other_actions_are_not_supported) {
  HANDLE h = open_file_port(f, L"PWB4:");
  const WCHAR *paths[] = {STATE};
  BIDI_REQUEST_CONTAINER *rq = make_reqs(paths, 1);
  PBIDI_RESPONSE_CONTAINER r;
  WCHAR longer[80];
  wmemset(longer, L'G', 79);
  longer[79] = 0;
  const WCHAR *actions[] = {L"GetWithArgument", L"Frob", L"", L"Get ", longer};
  ASSERT(h != NULL && rq != NULL);
  for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++) {
    ASSERT_EQ(call(f, h, actions[i], rq, &r), ERROR_NOT_SUPPORTED);
    ASSERT(r == NULL);
  }
  ASSERT(f->m->pfnClosePort(h));
  free(rq);
}

MT_TEST(a_file_port_has_no_bidi) {
  HANDLE h = open_file_port(f, L"PWB5:");
  const WCHAR *paths[] = {STATE, MODEL};
  BIDI_REQUEST_CONTAINER *rq = make_reqs(paths, 2);
  PBIDI_RESPONSE_CONTAINER r;
  ASSERT(h != NULL && rq != NULL);
  ASSERT_EQ(call(f, h, L"Get", rq, &r), ERROR_NOT_SUPPORTED);
  ASSERT(r == NULL);
  ASSERT_EQ(call(f, h, L"EnumSchema", NULL, &r), ERROR_NOT_SUPPORTED);
  ASSERT(r == NULL);
  ASSERT(f->m->pfnClosePort(h));
  free(rq);
  ASSERT(free_answer(NULL));
}

/* ---- an IPP port ---- */

MT_TEST(an_ipp_port_answers_each_request_with_its_number_and_type) {
  printer p;
  static const WCHAR lone[] = {'\\', 'P', 0xD800, 0};
  WCHAR longp[400];
  wmemset(longp, L'A', 399);
  longp[399] = 0;
  const WCHAR *paths[] = {STATE,
                          L"\\Printer.Status.Summary:StateReason",
                          MODEL,
                          L"\\printer.deviceinfo:MANUFACTURER",
                          L"\\Printer.Consumables.BlackToner:Level",
                          L"\\Printer.Consumables.BlackToner:Installed",
                          L"\\Printer.Consumables.CyanToner:Level",
                          L"\\Printer.Configuration.DuplexUnit:Installed",
                          longp,
                          lone,
                          NULL};
  BIDI_REQUEST_CONTAINER *rq = make_reqs(paths, 11);
  PBIDI_RESPONSE_CONTAINER r;
  ASSERT(rq != NULL);
  ASSERT(printer_start(&p, 1));
  HANDLE h = open_ipp_port(f, L"PWB6:", p.port);
  ASSERT(h != NULL);
  /* the action's case does not matter */
  ASSERT_EQ(call(f, h, L"gET", rq, &r), ERROR_BIDI_STATUS_WARNING);
  ASSERT(r != NULL && r != (PBIDI_RESPONSE_CONTAINER)DEADBEEF);
  ASSERT_EQ(r->Version, 1);
  ASSERT_EQ(r->Count, 11);
  for (DWORD i = 0; i < 11; i++)
    ASSERT_EQ(r->aData[i].dwReqNumber, 10 * (i + 1));
  BIDI_RESPONSE_DATA *d = r->aData;
  ASSERT_EQ(d[0].dwResult, ERROR_SUCCESS);
  ASSERT_EQ(d[0].data.dwBidiType, BIDI_STRING);
  ASSERT(wcscmp(d[0].pSchema, STATE) == 0);
  ASSERT(wcscmp(d[0].data.u.sData, L"Stopped") == 0);
  ASSERT(wcscmp(d[1].data.u.sData, L"MediaEmpty") == 0);
  ASSERT(wcscmp(d[2].data.u.sData, L"LaserBeam \x00c9lite") == 0);
  ASSERT(wcscmp(d[3].pSchema, L"\\Printer.DeviceInfo:Manufacturer") == 0);
  ASSERT(wcscmp(d[3].data.u.sData, L"Example") == 0);
  ASSERT_EQ(d[4].data.dwBidiType, BIDI_INT);
  ASSERT_EQ(d[4].data.u.iData, 42);
  ASSERT_EQ(d[5].data.dwBidiType, BIDI_BOOL);
  ASSERT_EQ(d[5].data.u.bData, TRUE);
  ASSERT_EQ(d[6].data.u.iData, -1);
  for (DWORD i = 7; i < 11; i++) {
    ASSERT_EQ(d[i].dwResult, ERROR_BIDI_SCHEMA_NOT_SUPPORTED);
    ASSERT_EQ(d[i].data.dwBidiType, BIDI_NULL);
    ASSERT(d[i].pSchema == NULL);
  }
  ASSERT(free_answer(r));
  ASSERT_EQ(p.served, 1); /* one Get-Printer-Attributes for the call */
  ASSERT(f->m->pfnClosePort(h));
  printer_stop(&p);
  free(rq);
}

MT_TEST(enum_schema_get_all_and_set_on_an_ipp_port) {
  printer p;
  const WCHAR *paths[] = {L"\\Printer.Consumables", MODEL};
  BIDI_REQUEST_CONTAINER *rq = make_reqs(paths, 2);
  PBIDI_RESPONSE_CONTAINER r;
  ASSERT(rq != NULL);
  ASSERT(printer_start(&p, 1));
  HANDLE h = open_ipp_port(f, L"PWB7:", p.port);
  ASSERT(h != NULL);
  ASSERT_EQ(call(f, h, L"EnumSchema", NULL, &r), ERROR_SUCCESS);
  ASSERT(r != NULL);
  ASSERT_EQ(r->Count, 5 + 2 * 4);
  for (DWORD i = 0; i < r->Count; i++) {
    ASSERT_EQ(r->aData[i].dwResult, ERROR_SUCCESS);
    ASSERT(r->aData[i].pSchema == NULL);
    ASSERT_EQ(r->aData[i].data.dwBidiType, BIDI_TEXT);
  }
  ASSERT(wcscmp(r->aData[0].data.u.sData, STATE) == 0);
  ASSERT(wcscmp(r->aData[12].data.u.sData,
                L"\\Printer.Consumables.CyanToner:Level") == 0);
  ASSERT(free_answer(r));
  ASSERT_EQ(call(f, h, L"GetAll", rq, &r), ERROR_SUCCESS);
  ASSERT(r != NULL);
  ASSERT_EQ(r->Count, 4 + 4 + 1); /* two consumables, then the model */
  ASSERT_EQ(r->aData[0].dwReqNumber, 10);
  ASSERT(wcscmp(r->aData[0].pSchema,
                L"\\Printer.Consumables.BlackToner:Installed") == 0);
  ASSERT_EQ(r->aData[7].dwReqNumber, 10);
  ASSERT_EQ(r->aData[8].dwReqNumber, 20);
  ASSERT(free_answer(r));
  ASSERT_EQ(call(f, h, L"SET", rq, &r), ERROR_BIDI_STATUS_WARNING);
  ASSERT(r != NULL);
  ASSERT_EQ(r->Count, 2);
  ASSERT_EQ(r->aData[0].dwResult, ERROR_BIDI_SCHEMA_NOT_SUPPORTED);
  ASSERT_EQ(r->aData[1].dwResult, ERROR_BIDI_SCHEMA_READ_ONLY);
  ASSERT(free_answer(r));
  ASSERT_EQ(p.served, 2); /* Set did not ask the printer */
  ASSERT(f->m->pfnClosePort(h));
  printer_stop(&p);
  free(rq);
}

MT_TEST(a_printer_that_does_not_answer_is_device_offline) {
  printer p;
  const WCHAR *paths[] = {STATE};
  BIDI_REQUEST_CONTAINER *rq = make_reqs(paths, 1);
  PBIDI_RESPONSE_CONTAINER r;
  ASSERT(rq != NULL);
  ASSERT(printer_start(&p, 0)); /* listens, never answers */
  HANDLE h = NULL;
  WCHAR cfg[160];
  swprintf(cfg, 160,
           L"uri=ipp://127.0.0.1:%d/ipp/print\ntimeout=1\n"
           L"connect_timeout=1\n",
           p.port);
  ASSERT_EQ(mt_add_port_config(f, L"PWB8:", cfg), ERROR_SUCCESS);
  ASSERT(f->m->pfnOpenPort(f->hmon, (LPWSTR)L"PWB8:", &h));
  double t0 = mt_now_ms();
  ASSERT_EQ(call(f, h, L"Get", rq, &r), ERROR_BIDI_STATUS_WARNING);
  ASSERT(mt_now_ms() - t0 < 5000.0); /* the port's 1 s time-out */
  ASSERT(r != NULL);
  ASSERT_EQ(r->aData[0].dwResult, ERROR_BIDI_DEVICE_OFFLINE);
  ASSERT(free_answer(r));
  ASSERT(f->m->pfnClosePort(h));
  printer_stop(&p);
  free(rq);
}

int main(int argc, char **argv) {
  WSADATA wsa;
  if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
    fprintf(stderr, "WSAStartup failed\n");
    return 1;
  }
  static const pw_test_entry tests[] = {
      TEST_ENTRY(null_answer_pointer_or_action_is_invalid_parameter),
      TEST_ENTRY(null_garbage_and_closed_handles_are_invalid_handle),
      TEST_ENTRY(a_request_container_must_be_version_1_and_hold_1_to_1024),
      TEST_ENTRY(other_actions_are_not_supported),
      TEST_ENTRY(a_file_port_has_no_bidi),
      TEST_ENTRY(an_ipp_port_answers_each_request_with_its_number_and_type),
      TEST_ENTRY(enum_schema_get_all_and_set_on_an_ipp_port),
      TEST_ENTRY(a_printer_that_does_not_answer_is_device_offline)};
  int rc = pw_test_run_(tests, sizeof tests / sizeof tests[0], argc, argv);
  WSACleanup();
  return rc;
}

/* portwaylm.dll through its MONITOR2 table, as a spooler drives a language
 * monitor: InitializePrintMonitor2, OpenPortEx over a port monitor of the
 * test's own (in memory: it records the bytes and the calls), the entry
 * points' handle checks, the PJL bytes reaching the port monitor, and
 * Shutdown with ports open. Run under Wine (or on Windows). */
#include <windows.h>

#include <winspool.h>
#include <winsplp.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memreg.h"
#include "test.h"

typedef LPMONITOR2(WINAPI *init_fn)(PMONITORINIT, PHANDLE);

/* mingw's C library has no memmem. */
static int has_bytes(const BYTE *hay, size_t n, const char *needle, size_t m) {
  for (size_t i = 0; i + m <= n; i++)
    if (memcmp(hay + i, needle, m) == 0)
      return 1;
  return 0;
}

/* ---- a port monitor of our own ---- */
static struct {
  BYTE data[65536];
  DWORD len;
  int opens, starts, ends, closes;
  HANDLE open_handle;
} pm;
#define PM_PORT ((HANDLE)(uintptr_t)0x5150)

static BOOL WINAPI pm_OpenPort(HANDLE hMonitor, LPWSTR name, PHANDLE h) {
  (void)hMonitor;
  if (wcscmp(name, L"PJL1:") != 0) {
    SetLastError(ERROR_UNKNOWN_PORT);
    return FALSE;
  }
  pm.opens++;
  *h = PM_PORT;
  return TRUE;
}
static BOOL WINAPI pm_StartDocPort(HANDLE h, LPWSTR printer, DWORD job,
                                   DWORD level, LPBYTE info) {
  (void)printer, (void)job, (void)level, (void)info;
  if (h != PM_PORT)
    return FALSE;
  pm.starts++;
  return TRUE;
}
static BOOL WINAPI pm_WritePort(HANDLE h, LPBYTE buf, DWORD cb,
                                LPDWORD written) {
  if (h != PM_PORT || pm.len + cb > sizeof pm.data)
    return FALSE;
  memcpy(pm.data + pm.len, buf, cb);
  pm.len += cb;
  *written = cb;
  return TRUE;
}
static BOOL WINAPI pm_ReadPort(HANDLE h, LPBYTE buf, DWORD cb, LPDWORD got) {
  (void)h, (void)buf, (void)cb;
  *got = 0;
  SetLastError(ERROR_NOT_SUPPORTED); /* no back channel */
  return FALSE;
}
static BOOL WINAPI pm_EndDocPort(HANDLE h) {
  if (h != PM_PORT)
    return FALSE;
  pm.ends++;
  return TRUE;
}
static BOOL WINAPI pm_ClosePort(HANDLE h) {
  if (h != PM_PORT)
    return FALSE;
  pm.closes++;
  return TRUE;
}

static int pm_ioctls;
static BOOL WINAPI pm_GetPrinterDataFromPort(HANDLE h, DWORD id, LPWSTR name,
                                             LPWSTR in, DWORD cb_in, LPWSTR out,
                                             DWORD cb_out, LPDWORD returned) {
  (void)name, (void)in, (void)cb_in;
  if (h != PM_PORT || id != 0x1234 || !out || cb_out < 4) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return FALSE;
  }
  pm_ioctls++;
  memcpy(out, "IOCT", 4);
  *returned = 4;
  return TRUE;
}

static MONITOR2 pm_table(void) {
  MONITOR2 t;
  memset(&t, 0, sizeof t);
  t.cbSize = sizeof t;
  t.pfnOpenPort = pm_OpenPort;
  t.pfnStartDocPort = pm_StartDocPort;
  t.pfnWritePort = pm_WritePort;
  t.pfnReadPort = pm_ReadPort;
  t.pfnEndDocPort = pm_EndDocPort;
  t.pfnClosePort = pm_ClosePort;
  return t;
}

/* ---- the language monitor ---- */
typedef struct lm_fx {
  HMODULE dll;
  LPMONITOR2 m;
  HANDLE hmon;
  memreg *reg;
  MONITORINIT init;
  MONITORREG mreg;
} lm_fx;

static int lm_setup(lm_fx *f) {
  memset(f, 0, sizeof *f);
  memset(&pm, 0, sizeof pm);
  pm_ioctls = 0;
  f->dll = LoadLibraryW(L"portwaylm.dll");
  init_fn init = f->dll ? (init_fn)(void (*)(void))GetProcAddress(
                              f->dll, "InitializePrintMonitor2")
                        : NULL;
  f->reg = memreg_new();
  if (!init || !f->reg)
    return 0;
  memreg_fill_init(f->reg, &f->init, &f->mreg);
  f->m = init(&f->init, &f->hmon);
  return f->m != NULL;
}

static void lm_teardown(lm_fx *f) {
  if (f->m && f->hmon)
    f->m->pfnShutdown(f->hmon);
  if (f->dll)
    FreeLibrary(f->dll);
  memreg_free(f->reg);
}

static BOOL open_ex(lm_fx *f, MONITOR2 *t, HANDLE *h) {
  return f->m->pfnOpenPortEx(f->hmon, (HANDLE)(uintptr_t)0x77, (LPWSTR)L"PJL1:",
                             (LPWSTR)L"Office", h, t);
}

TEST(the_table_is_a_language_monitors) {
  lm_fx f;
  ASSERT(lm_setup(&f));
  ASSERT(f.m->cbSize >= sizeof(MONITOR2) - 2 * sizeof(void *));
  ASSERT(f.m->pfnOpenPortEx != NULL);
  ASSERT(f.m->pfnOpenPort == NULL); /* the spooler uses OpenPortEx */
  ASSERT(f.m->pfnEnumPorts == NULL);
  ASSERT(f.m->pfnXcvOpenPort == NULL);
  ASSERT(f.m->pfnStartDocPort && f.m->pfnWritePort && f.m->pfnReadPort &&
         f.m->pfnEndDocPort && f.m->pfnClosePort && f.m->pfnShutdown);
  lm_teardown(&f);
}

TEST(open_port_ex_checks_the_port_monitors_table) {
  lm_fx f;
  ASSERT(lm_setup(&f));
  HANDLE h = (HANDLE)1;
  MONITOR2 t = pm_table();
  t.pfnWritePort = NULL;
  ASSERT(!open_ex(&f, &t, &h));
  ASSERT_EQ(GetLastError(), (DWORD)ERROR_INVALID_PRINT_MONITOR);
  ASSERT(h == NULL);
  ASSERT(!open_ex(&f, NULL, &h));
  ASSERT_EQ(GetLastError(), (DWORD)ERROR_INVALID_PRINT_MONITOR);
  t = pm_table();
  ASSERT(!f.m->pfnOpenPortEx((HANDLE)(uintptr_t)0xbad, NULL, (LPWSTR)L"PJL1:",
                             NULL, &h, &t));
  ASSERT_EQ(GetLastError(), (DWORD)ERROR_INVALID_HANDLE);
  /* The port monitor's own answer comes back. */
  ASSERT(!f.m->pfnOpenPortEx(f.hmon, NULL, (LPWSTR)L"NOPE:", NULL, &h, &t));
  ASSERT_EQ(GetLastError(), (DWORD)ERROR_UNKNOWN_PORT);
  ASSERT_EQ(pm.opens, 0);
  lm_teardown(&f);
}

TEST(a_job_reaches_the_port_monitor_framed_and_counted_as_the_callers) {
  lm_fx f;
  ASSERT(lm_setup(&f));
  MONITOR2 t = pm_table();
  HANDLE h = NULL;
  ASSERT(open_ex(&f, &t, &h));
  ASSERT_EQ(pm.opens, 1);
  DOC_INFO_1W di = {(LPWSTR)L"report", NULL, (LPWSTR)L"RAW"};
  ASSERT(f.m->pfnStartDocPort(h, NULL, 0, 1, (LPBYTE)&di));
  DWORD w = 0;
  ASSERT(f.m->pfnWritePort(h, (LPBYTE) "hello", 5, &w));
  ASSERT_EQ(w, 5u);
  ASSERT(f.m->pfnEndDocPort(h));
  ASSERT_EQ(pm.starts, 1);
  ASSERT_EQ(pm.ends, 1);
  ASSERT(pm.len > 5 + 9 * 3);
  ASSERT(memcmp(pm.data, "\x1b%-12345X@PJL USTATUS JOB=ON\r\n", 30) == 0);
  ASSERT(
      has_bytes(pm.data, pm.len, "report\"\r\nhello\x1b%-12345X@PJL EOJ", 31));
  ASSERT(memcmp(pm.data + pm.len - 9, "\x1b%-12345X", 9) == 0);
  ASSERT(f.m->pfnClosePort(h));
  ASSERT_EQ(pm.closes, 1);
  lm_teardown(&f);
}

TEST(bad_stale_and_double_closed_handles_fail_with_invalid_handle) {
  lm_fx f;
  ASSERT(lm_setup(&f));
  MONITOR2 t = pm_table();
  HANDLE h = NULL;
  DWORD w = 0;
  ASSERT(!f.m->pfnWritePort(NULL, (LPBYTE) "x", 1, &w));
  ASSERT_EQ(GetLastError(), (DWORD)ERROR_INVALID_HANDLE);
  ASSERT(!f.m->pfnEndDocPort((HANDLE)(uintptr_t)0x1234567));
  ASSERT_EQ(GetLastError(), (DWORD)ERROR_INVALID_HANDLE);
  ASSERT(open_ex(&f, &t, &h));
  ASSERT(f.m->pfnClosePort(h));
  ASSERT(!f.m->pfnClosePort(h));
  ASSERT_EQ(GetLastError(), (DWORD)ERROR_INVALID_HANDLE);
  ASSERT(!f.m->pfnWritePort(h, (LPBYTE) "x", 1, &w));
  ASSERT_EQ(GetLastError(), (DWORD)ERROR_INVALID_HANDLE);
  ASSERT_EQ(pm.closes, 1); /* the port monitor's port closed exactly once */
  lm_teardown(&f);
}

TEST(shutdown_with_ports_open_closes_them_below) {
  lm_fx f;
  ASSERT(lm_setup(&f));
  MONITOR2 t = pm_table();
  HANDLE h1 = NULL, h2 = NULL;
  ASSERT(open_ex(&f, &t, &h1));
  ASSERT(open_ex(&f, &t, &h2));
  DOC_INFO_1W di = {(LPWSTR)L"mid-job", NULL, (LPWSTR)L"RAW"};
  ASSERT(f.m->pfnStartDocPort(h2, NULL, 0, 1, (LPBYTE)&di));
  f.m->pfnShutdown(f.hmon);
  ASSERT_EQ(pm.closes, 2);
  f.hmon = NULL; /* shut down: teardown must not call it again */
  lm_teardown(&f);
}

/* One job of "hello" on PJL1: with the port's Options value set to `opts`
 * (REG_SZ, or REG_MULTI_SZ when multi); the bytes the port monitor got. */
static int job_with_options(lm_fx *f, const WCHAR *opts, DWORD cb, DWORD type) {
  if (opts && !memreg_set(f->reg, L"Ports\\PJL1:", L"Options", type, opts, cb))
    return 0;
  MONITOR2 t = pm_table();
  HANDLE h = NULL;
  DOC_INFO_1W di = {(LPWSTR)L"report", NULL, (LPWSTR)L"RAW"};
  DWORD w = 0;
  int ok =
      open_ex(f, &t, &h) && f->m->pfnStartDocPort(h, NULL, 0, 1, (LPBYTE)&di) &&
      f->m->pfnWritePort(h, (LPBYTE) "hello", 5, &w) && f->m->pfnEndDocPort(h);
  if (h)
    f->m->pfnClosePort(h);
  return ok;
}

TEST(the_ports_options_come_from_its_registry_entry) {
  lm_fx f;
  ASSERT(lm_setup(&f));
  static const WCHAR off[] = L"# a comment\r\nframing = false\r\n";
  ASSERT(job_with_options(&f, off, sizeof off, REG_SZ));
  ASSERT_EQ(pm.len, 5u);
  ASSERT(memcmp(pm.data, "hello", 5) == 0); /* unframed */
  lm_teardown(&f);
  /* One option per string of a REG_MULTI_SZ. */
  ASSERT(lm_setup(&f));
  static const WCHAR multi[] = L"status=false\0framing=false\0";
  ASSERT(job_with_options(&f, multi, sizeof multi, REG_MULTI_SZ));
  ASSERT_EQ(pm.len, 5u);
  lm_teardown(&f);
}

TEST(options_that_do_not_parse_leave_the_defaults_and_printing_works) {
  static const struct {
    const WCHAR *text;
    DWORD cb, type;
  } bad[] = {
      {L"framing=maybe", sizeof L"framing=maybe", REG_SZ},
      {L"colour=1", sizeof L"colour=1", REG_SZ},
      {L"framing=false", 4, REG_DWORD}, /* not a string */
      {L"framing=false", 7, REG_SZ},    /* an odd size */
      {L"\xd800"
       L"framing=false",
       30, REG_SZ}, /* a lone surrogate */
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    lm_fx f;
    ASSERT(lm_setup(&f));
    ASSERT(job_with_options(&f, bad[i].text, bad[i].cb, bad[i].type));
    /* The defaults: framed. */
    if (!(pm.len > 5 && memcmp(pm.data, "\x1b%-12345X@PJL", 13) == 0))
      fprintf(stderr, "  case %zu: %lu bytes\n", i, (unsigned long)pm.len);
    ASSERT(pm.len > 5 && memcmp(pm.data, "\x1b%-12345X@PJL", 13) == 0);
    lm_teardown(&f);
  }
}

TEST(get_printer_data_from_port_forwards_io_controls_and_refuses_the_rest) {
  lm_fx f;
  ASSERT(lm_setup(&f));
  MONITOR2 t = pm_table();
  HANDLE h = NULL;
  ASSERT(open_ex(&f, &t, &h));
  WCHAR out[64];
  DWORD got = 0;
  /* An I/O control goes to the port monitor below, which has none. */
  ASSERT(!f.m->pfnGetPrinterDataFromPort(h, 0x1234, NULL, NULL, 0, out,
                                         sizeof out, &got));
  ASSERT_EQ(GetLastError(), (DWORD)ERROR_NOT_SUPPORTED);
  ASSERT(f.m->pfnClosePort(h));
  t.pfnGetPrinterDataFromPort = pm_GetPrinterDataFromPort;
  ASSERT(open_ex(&f, &t, &h));
  ASSERT(f.m->pfnGetPrinterDataFromPort(h, 0x1234, NULL, NULL, 0, out,
                                        sizeof out, &got));
  ASSERT_EQ(got, 4u);
  ASSERT_EQ(pm_ioctls, 1);
  /* A value name on a port that cannot be read back is not asked. */
  ASSERT(!f.m->pfnGetPrinterDataFromPort(h, 0, (LPWSTR)L"ID", NULL, 0, out,
                                         sizeof out, &got));
  ASSERT_EQ(GetLastError(), (DWORD)ERROR_NOT_SUPPORTED);
  ASSERT(!f.m->pfnGetPrinterDataFromPort(h, 0, (LPWSTR)L"Nonsense", NULL, 0,
                                         out, sizeof out, &got));
  ASSERT_EQ(GetLastError(), (DWORD)ERROR_NOT_SUPPORTED);
  ASSERT(pm.len == 0); /* nothing was sent to ask */
  ASSERT(!f.m->pfnGetPrinterDataFromPort(h, 0, (LPWSTR)L"ID", NULL, 0, out,
                                         sizeof out, NULL));
  ASSERT_EQ(GetLastError(), (DWORD)ERROR_INVALID_PARAMETER);
  ASSERT(f.m->pfnClosePort(h));
  ASSERT(!f.m->pfnGetPrinterDataFromPort(h, 0, (LPWSTR)L"ID", NULL, 0, out,
                                         sizeof out, &got));
  ASSERT_EQ(GetLastError(), (DWORD)ERROR_INVALID_HANDLE);
  lm_teardown(&f);
}

TEST(read_port_outside_a_job_is_the_port_monitors_and_bidi_checks_its_args) {
  lm_fx f;
  ASSERT(lm_setup(&f));
  MONITOR2 t = pm_table();
  HANDLE h = NULL;
  ASSERT(open_ex(&f, &t, &h));
  BYTE buf[16];
  DWORD got = 7;
  ASSERT(!f.m->pfnReadPort(h, buf, sizeof buf, &got));
  ASSERT_EQ(GetLastError(), (DWORD)ERROR_NOT_SUPPORTED); /* ours says so */
  ASSERT_EQ(got, 0u);
  ASSERT(!f.m->pfnReadPort(h, NULL, sizeof buf, &got));
  ASSERT_EQ(GetLastError(), (DWORD)ERROR_INVALID_PARAMETER);
  ASSERT_EQ(f.m->pfnSendRecvBidiDataFromPort(h, 0, L"Get", NULL, NULL),
            (DWORD)ERROR_INVALID_PARAMETER);
  /* This process exports no Router*Bidi allocator (monrun and the spooler
   * do): nothing could be handed back. */
  PBIDI_RESPONSE_CONTAINER res = (PBIDI_RESPONSE_CONTAINER)1;
  ASSERT_EQ(f.m->pfnSendRecvBidiDataFromPort(h, 0, L"EnumSchema", NULL, &res),
            (DWORD)ERROR_NOT_SUPPORTED);
  ASSERT(res == NULL);
  ASSERT(f.m->pfnClosePort(h));
  lm_teardown(&f);
}

TEST_MAIN(
    TEST_ENTRY(the_table_is_a_language_monitors),
    TEST_ENTRY(open_port_ex_checks_the_port_monitors_table),
    TEST_ENTRY(
        a_job_reaches_the_port_monitor_framed_and_counted_as_the_callers),
    TEST_ENTRY(bad_stale_and_double_closed_handles_fail_with_invalid_handle),
    TEST_ENTRY(shutdown_with_ports_open_closes_them_below),
    TEST_ENTRY(the_ports_options_come_from_its_registry_entry),
    TEST_ENTRY(options_that_do_not_parse_leave_the_defaults_and_printing_works),
    TEST_ENTRY(
        get_printer_data_from_port_forwards_io_controls_and_refuses_the_rest),
    TEST_ENTRY(
        read_port_outside_a_job_is_the_port_monitors_and_bidi_checks_its_args))

/* portway.dll — InitializePrintMonitor2, the MONITOR2 table, instances,
 * Shutdown, and the MONITORREG-backed store (learn.microsoft.com
 * "InitializePrintMonitor2 function", "MONITOR2 structure", "MONITORINIT
 * structure", "MONITORREG structure", "Shutdown function"). */
#include "test.h"

#include <stdlib.h>
#include <wchar.h>

#include "monfix.h"

#define DEADBEEF ((HANDLE)(ULONG_PTR)0xdeadbeef)

static const WCHAR *const k_fallback_ports =
    L"SYSTEM\\CurrentControlSet\\Control\\Print\\Monitors\\portway\\Ports";

/* ---- the table ---- */

MT_TEST(init_returns_win7_table_and_instance_handle) {
  ASSERT(f->m != NULL);
  ASSERT(f->hmon != NULL);
  ASSERT_EQ(f->m->cbSize, sizeof(MONITOR2));
  ASSERT_EQ(f->m->cbSize, 176); /* through pfnNotifyUnusedPorts on x64 */
}

MT_TEST(table_sets_implemented_and_nulls_unimplemented_members) {
  const MONITOR2 *m = f->m;
  ASSERT(m->pfnEnumPorts && m->pfnOpenPort && m->pfnStartDocPort);
  ASSERT(m->pfnWritePort && m->pfnReadPort && m->pfnEndDocPort);
  ASSERT(m->pfnClosePort && m->pfnAddPortEx && m->pfnShutdown);
  ASSERT(m->pfnXcvOpenPort && m->pfnXcvDataPort && m->pfnXcvClosePort);
  ASSERT(m->pfnSetPortTimeOuts != NULL);
  ASSERT(m->pfnSendRecvBidiDataFromPort != NULL); /* IPP ports */
  /* Server-side UI and language-monitor members stay NULL. */
  ASSERT(m->pfnOpenPortEx == NULL);
  ASSERT(m->pfnAddPort == NULL);
  ASSERT(m->pfnConfigurePort == NULL);
  ASSERT(m->pfnDeletePort == NULL);
  ASSERT(m->pfnGetPrinterDataFromPort == NULL);
  ASSERT(m->pfnNotifyUsedPorts == NULL);
  ASSERT(m->pfnNotifyUnusedPorts == NULL);
}

/* ---- bad MONITORINIT ---- */

/* Call InitializePrintMonitor2 with a broken init; check NULL + error and
 * that *phMonitor is untouched. */
static int init_fails(mt_fx *f, MONITORINIT *init, PHANDLE ph, DWORD expect) {
  HANDLE before = ph ? *ph : NULL;
  SetLastError(0xdeadbeef);
  LPMONITOR2 m = f->init_fn(init, ph);
  DWORD err = GetLastError();
  CHECK_OR_RETURN(m == NULL, 0);
  CHECK_OR_RETURN(err == expect, 0);
  CHECK_OR_RETURN(!ph || *ph == before, 0);
  return 1;
}

MT_TEST(init_rejects_null_monitorinit) {
  HANDLE h = DEADBEEF;
  ASSERT(init_fails(f, NULL, &h, ERROR_INVALID_PARAMETER));
}

MT_TEST(init_rejects_short_cbsize) {
  MONITORINIT init = f->init;
  HANDLE h = DEADBEEF;
  init.cbSize = sizeof init - 1;
  ASSERT(init_fails(f, &init, &h, ERROR_INVALID_PARAMETER));
  init.cbSize = 0;
  ASSERT(init_fails(f, &init, &h, ERROR_INVALID_PARAMETER));
}

MT_TEST(init_rejects_null_or_short_monitorreg) {
  MONITORINIT init = f->init;
  MONITORREG reg = f->mreg;
  HANDLE h = DEADBEEF;
  init.pMonitorReg = NULL;
  ASSERT(init_fails(f, &init, &h, ERROR_INVALID_PARAMETER));
  reg.cbSize = sizeof reg - 1;
  init.pMonitorReg = &reg;
  ASSERT(init_fails(f, &init, &h, ERROR_INVALID_PARAMETER));
}

MT_TEST(init_rejects_null_phmonitor) {
  ASSERT(init_fails(f, &f->init, NULL, ERROR_INVALID_PARAMETER));
}

/* ---- instances ---- */

MT_TEST(second_init_gives_distinct_instance_with_its_own_ports) {
  memreg *reg2 = memreg_new();
  MONITORINIT init2;
  MONITORREG mreg2;
  HANDLE h2 = NULL;
  int found = 0;
  ASSERT(reg2 != NULL);
  memreg_fill_init(reg2, &init2, &mreg2);
  LPMONITOR2 m2 = f->init_fn(&init2, &h2);
  if (!m2 || !h2) {
    memreg_free(reg2);
    ASSERT(!"second InitializePrintMonitor2 failed");
  }
  int distinct = h2 != f->hmon;
  DWORD add1 = mt_add_file_port(f, L"PWI1:", f->dir);
  /* The second instance does not see the first one's port... */
  mt_fx second = *f;
  second.m = m2;
  second.hmon = h2;
  int count2 = mt_enum_count(&second, L"PWI1:", &found);
  DWORD add2 = mt_add_file_port(&second, L"PWI2:", f->dir);
  int count1 = mt_enum_count(f, L"PWI2:", &found);
  m2->pfnShutdown(h2);
  /* ...and the first keeps working after the second is shut down. */
  int count1_after = mt_enum_count(f, NULL, NULL);
  memreg_free(reg2);
  ASSERT(distinct);
  ASSERT_EQ(add1, ERROR_SUCCESS);
  ASSERT_EQ(add2, ERROR_SUCCESS);
  ASSERT_EQ(count2, 0);
  ASSERT_EQ(count1, 1);
  ASSERT_EQ(found, 0);
  ASSERT_EQ(count1_after, 1);
}

MT_TEST(ports_and_config_persist_across_shutdown_and_reinit) {
  WCHAR config[MT_PATH * 3], before[2048], after[2048];
  BYTE in[64];
  DWORD need = 0;
  mt_file_config(f->dir, config, MT_PATH * 3);
  wcscat(config, L"pattern=persist-{job}.prn\n");
  ASSERT_EQ(mt_add_port_config(f, L"PWP1:", config), ERROR_SUCCESS);
  DWORD cb = mt_strings(L"PWP1:", NULL, in, sizeof in);
  ASSERT_EQ(mt_xcv(f, PWM_TEST_MONITOR, 0, L"GetConfig", in, cb, before,
                   sizeof before, &need),
            ERROR_SUCCESS);
  mt_shutdown(f);
  f->m = f->init_fn(&f->init, &f->hmon);
  ASSERT(f->m != NULL);
  int found = 0;
  ASSERT_EQ(mt_enum_count(f, L"PWP1:", &found), 1);
  ASSERT(found);
  ASSERT_EQ(mt_xcv(f, PWM_TEST_MONITOR, 0, L"GetConfig", in, cb, after,
                   sizeof after, &need),
            ERROR_SUCCESS);
  ASSERT(wcsstr(before, L"pattern=persist-{job}.prn") != NULL);
  ASSERT(wcscmp(before, after) == 0);
}

MT_TEST(garbage_and_shut_down_hmonitor_give_invalid_handle) {
  BYTE stack[64] = {0};
  HANDLE bad[] = {NULL, (HANDLE)(ULONG_PTR)0x1234, (HANDLE)stack, DEADBEEF};
  DWORD needed, returned;
  HANDLE h;
  PORT_INFO_1W pi = {(LPWSTR)L"PWG1:"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    SetLastError(0);
    ASSERT(!f->m->pfnEnumPorts(bad[i], NULL, 1, NULL, 0, &needed, &returned));
    ASSERT_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    h = DEADBEEF;
    SetLastError(0);
    ASSERT(!f->m->pfnOpenPort(bad[i], (LPWSTR)L"PWG1:", &h));
    ASSERT_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    ASSERT(h == DEADBEEF);
    SetLastError(0);
    ASSERT(!f->m->pfnXcvOpenPort(bad[i], NULL, SERVER_ACCESS_ADMINISTER, &h));
    ASSERT_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    ASSERT(h == DEADBEEF);
    SetLastError(0);
    ASSERT(!f->m->pfnAddPortEx(bad[i], NULL, 1, (LPBYTE)&pi, NULL));
    ASSERT_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    f->m->pfnShutdown(bad[i]); /* ignored, must not crash */
  }
  /* A shut-down instance is as dead as garbage. */
  HANDLE old = f->hmon;
  LPMONITOR2 m = f->m;
  mt_shutdown(f);
  SetLastError(0);
  ASSERT(!m->pfnEnumPorts(old, NULL, 1, NULL, 0, &needed, &returned));
  ASSERT_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  m->pfnShutdown(old); /* a second Shutdown is ignored */
}

/* ---- the store goes through MONITORREG ---- */

MT_TEST(ports_are_stored_through_monitorreg_not_the_registry) {
  WCHAR uri[1024], path[512];
  HKEY k;
  LONG calls_before = memreg_calls(f->reg);
  ASSERT_EQ(mt_add_file_port(f, L"PWR1:", f->dir), ERROR_SUCCESS);
  ASSERT(memreg_calls(f->reg) > calls_before);
  ASSERT(memreg_key_exists(f->reg, L"Ports\\PWR1:"));
  ASSERT(memreg_get_sz(f->reg, L"Ports\\PWR1:", L"Config", uri, 1024));
  ASSERT(wcsncmp(uri, L"uri=file:///", 12) == 0);
  /* Nothing went to the Win32 registry fallback location. */
  _snwprintf(path, 512, L"%ls\\PWR1:", k_fallback_ports);
  ASSERT(RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_READ, &k) ==
         ERROR_FILE_NOT_FOUND);
  /* Every key the monitor opened is closed again. */
  ASSERT_EQ(memreg_open_handles(f->reg), 0);
  ASSERT_EQ(mt_delete_port(f, L"PWR1:"), ERROR_SUCCESS);
  ASSERT(!memreg_key_exists(f->reg, L"Ports\\PWR1:"));
  ASSERT_EQ(memreg_open_handles(f->reg), 0);
}

MT_TEST(log_level_setting_is_a_value_on_the_root) {
  BYTE in[128];
  WCHAR value[64];
  DWORD cb = mt_strings(L"loglevel=debug", NULL, in, sizeof in);
  ASSERT_EQ(mt_xcv(f, PWM_TEST_MONITOR, SERVER_ACCESS_ADMINISTER,
                   L"SetMonitorConfig", in, cb, NULL, 0, NULL),
            ERROR_SUCCESS);
  ASSERT(memreg_get_sz(f->reg, L"", L"LogLevel", value, 64));
  ASSERT(wcscmp(value, L"debug") == 0);
}

/* Stored content is hostile input: a port whose values are not plain
 * REG_SZ, not terminated, or smuggle extra lines is skipped. */
MT_TEST(hostile_stored_ports_are_skipped) {
  static const WCHAR good_uri[] = L"file:///C:/x";
  static const WCHAR unterminated[] = {'f', 'i', 'l', 'e', ':', '/', '/', '/'};
  static const WCHAR injected[] = L"file:///C:/x\npattern=../../evil.prn";
  DWORD dw = 1;
  HANDLE h = DEADBEEF;
  mt_shutdown(f);
  ASSERT(memreg_set(f->reg, L"Ports\\PWOK:", L"uri", REG_SZ, good_uri,
                    sizeof good_uri));
  ASSERT(
      memreg_set(f->reg, L"Ports\\PWH1:", L"uri", REG_DWORD, &dw, sizeof dw));
  ASSERT(memreg_set(f->reg, L"Ports\\PWH2:", L"uri", REG_SZ, unterminated,
                    sizeof unterminated));
  ASSERT(memreg_set(f->reg, L"Ports\\PWH3:", L"uri", REG_SZ, injected,
                    sizeof injected));
  ASSERT(memreg_set(f->reg, L"Ports\\PWH4:", L"#uri", REG_SZ, good_uri,
                    sizeof good_uri));
  ASSERT(memreg_set(f->reg, L"Ports\\bad,name", L"uri", REG_SZ, good_uri,
                    sizeof good_uri));
  f->m = f->init_fn(&f->init, &f->hmon);
  ASSERT(f->m != NULL);
  int found = 0;
  ASSERT_EQ(mt_enum_count(f, L"PWOK:", &found), 1);
  ASSERT(found);
  const WCHAR *bad[] = {L"PWH1:", L"PWH2:", L"PWH3:", L"PWH4:"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    SetLastError(0);
    ASSERT(!f->m->pfnOpenPort(f->hmon, (LPWSTR)bad[i], &h));
    ASSERT_EQ(GetLastError(), ERROR_UNKNOWN_PORT);
    ASSERT(h == DEADBEEF);
  }
  ASSERT_EQ(memreg_open_handles(f->reg), 0);
}

/* The whole-config value is as hostile as the old per-line ones: a port
 * whose Config is not REG_SZ, not terminated, not UTF-16 or too big is
 * skipped; a good Config wins over whatever old values sit beside it. */
MT_TEST(hostile_config_values_are_skipped) {
  static const WCHAR good[] = L"uri=file:///C:/x\n";
  static const WCHAR unterminated[] = {'u', 'r', 'i', '=', 'f', 'i', 'l', 'e'};
  static const WCHAR lone[] = {'u', 'r', 'i', '=', 0xD800, 'x', '\n', 0};
  enum { BIG = 9000 };
  WCHAR *too_long = malloc((BIG + 1) * sizeof(WCHAR));
  WCHAR *too_wide = malloc(6001 * sizeof(WCHAR));
  DWORD dw = 1;
  HANDLE h = DEADBEEF;
  ASSERT(too_long && too_wide);
  wcscpy(too_long, good);
  for (size_t i = wcslen(good); i < BIG; i++)
    too_long[i] = i % 64 ? L'x' : L'\n';
  too_long[BIG] = 0;
  /* 6000 units, but 18000 bytes of UTF-8: over the config text limit. */
  wcscpy(too_wide, L"uri=file:///C:/");
  for (size_t i = wcslen(too_wide); i < 6000; i++)
    too_wide[i] = 0x4E00;
  too_wide[6000] = 0;
  mt_shutdown(f);
  BOOL set =
      memreg_set(f->reg, L"Ports\\PWG1:", L"Config", REG_SZ, good,
                 sizeof good) &&
      memreg_set(f->reg, L"Ports\\PWG1:", L"uri", REG_DWORD, &dw, sizeof dw) &&
      memreg_set(f->reg, L"Ports\\PWK1:", L"Config", REG_DWORD, &dw,
                 sizeof dw) &&
      memreg_set(f->reg, L"Ports\\PWK2:", L"Config", REG_SZ, unterminated,
                 sizeof unterminated) &&
      memreg_set(f->reg, L"Ports\\PWK3:", L"Config", REG_SZ, lone,
                 sizeof lone) &&
      memreg_set(f->reg, L"Ports\\PWK4:", L"Config", REG_SZ, too_long,
                 (BIG + 1) * sizeof(WCHAR)) &&
      memreg_set(f->reg, L"Ports\\PWK5:", L"Config", REG_EXPAND_SZ, good,
                 sizeof good) &&
      memreg_set(f->reg, L"Ports\\PWK6:", L"Config", REG_SZ, too_wide,
                 6001 * sizeof(WCHAR));
  free(too_long);
  free(too_wide);
  ASSERT(set);
  f->m = f->init_fn(&f->init, &f->hmon);
  ASSERT(f->m != NULL);
  int found = 0;
  ASSERT_EQ(mt_enum_count(f, L"PWG1:", &found), 1);
  ASSERT(found);
  const WCHAR *bad[] = {L"PWK1:", L"PWK2:", L"PWK3:",
                        L"PWK4:", L"PWK5:", L"PWK6:"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    SetLastError(0);
    ASSERT(!f->m->pfnOpenPort(f->hmon, (LPWSTR)bad[i], &h));
    ASSERT_EQ(GetLastError(), ERROR_UNKNOWN_PORT);
    ASSERT(h == DEADBEEF);
  }
  ASSERT_EQ(memreg_open_handles(f->reg), 0);
}

/* ---- Shutdown ---- */

MT_TEST(shutdown_with_job_in_progress_is_quick_and_freelibrary_is_safe) {
  static BYTE data[64 * 1024];
  HANDLE port = NULL;
  DWORD written = 0;
  DOC_INFO_1W di = {(LPWSTR)L"shutdown", NULL, (LPWSTR)L"RAW"};
  mt_fill_pattern(data, sizeof data, 1);
  ASSERT_EQ(mt_add_file_port(f, L"PWS1:", f->dir), ERROR_SUCCESS);
  ASSERT(f->m->pfnOpenPort(f->hmon, (LPWSTR)L"PWS1:", &port));
  ASSERT(f->m->pfnStartDocPort(port, NULL, 0, 1, (LPBYTE)&di));
  ASSERT(f->m->pfnWritePort(port, data, sizeof data, &written));
  double t0 = mt_now_ms();
  mt_shutdown(f);
  double ms = mt_now_ms() - t0;
  FreeLibrary(f->dll);
  f->dll = NULL;
  ASSERT(ms < 100.0);
  /* The aborted job left nothing behind, not even its temporary file. */
  ASSERT_EQ(mt_count_entries(f->dir), 0);
}

TEST_MAIN(
    TEST_ENTRY(init_returns_win7_table_and_instance_handle),
    TEST_ENTRY(table_sets_implemented_and_nulls_unimplemented_members),
    TEST_ENTRY(init_rejects_null_monitorinit),
    TEST_ENTRY(init_rejects_short_cbsize),
    TEST_ENTRY(init_rejects_null_or_short_monitorreg),
    TEST_ENTRY(init_rejects_null_phmonitor),
    TEST_ENTRY(second_init_gives_distinct_instance_with_its_own_ports),
    TEST_ENTRY(ports_and_config_persist_across_shutdown_and_reinit),
    TEST_ENTRY(garbage_and_shut_down_hmonitor_give_invalid_handle),
    TEST_ENTRY(ports_are_stored_through_monitorreg_not_the_registry),
    TEST_ENTRY(log_level_setting_is_a_value_on_the_root),
    TEST_ENTRY(hostile_stored_ports_are_skipped),
    TEST_ENTRY(hostile_config_values_are_skipped),
    TEST_ENTRY(shutdown_with_job_in_progress_is_quick_and_freelibrary_is_safe))

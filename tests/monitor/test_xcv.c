/* portway.dll — XcvOpenPort, XcvDataPort, XcvClosePort
 * (learn.microsoft.com "XcvOpenPort function", "XcvDataPort function",
 * "XcvClosePort function"; docs/xcv.md). */
#include "test.h"

#include <stdlib.h>
#include <wchar.h>

#include "monfix.h"

#define DEADBEEF_DW 0xdeadbeefu
#define ADMIN SERVER_ACCESS_ADMINISTER

static DWORD xcv1(mt_fx *f, DWORD access, const WCHAR *cmd, const WCHAR *a,
                  const WCHAR *b, void *out, DWORD cb_out, DWORD *needed) {
  BYTE in[4096];
  DWORD cb = a ? mt_strings(a, b, in, sizeof in) : 0;
  return mt_xcv(f, PWM_TEST_MONITOR, access, cmd, a ? in : NULL, cb, out,
                cb_out, needed);
}

/* ---- MonitorUI ---- */

MT_TEST(monitorui_probe_gives_exact_size_then_the_name) {
  WCHAR out[64];
  DWORD needed = DEADBEEF_DW;
  ASSERT_EQ(xcv1(f, 0, L"MonitorUI", NULL, NULL, NULL, 0, &needed),
            ERROR_INSUFFICIENT_BUFFER);
  ASSERT_EQ(needed, sizeof L"portwayui.dll");
  needed = DEADBEEF_DW;
  ASSERT_EQ(xcv1(f, ADMIN, L"MonitorUI", NULL, NULL, out,
                 sizeof L"portwayui.dll" - 1, &needed),
            ERROR_INSUFFICIENT_BUFFER);
  ASSERT_EQ(needed, sizeof L"portwayui.dll");
  needed = DEADBEEF_DW;
  ASSERT_EQ(xcv1(f, ADMIN, L"MonitorUI", NULL, NULL, out,
                 sizeof L"portwayui.dll", &needed),
            ERROR_SUCCESS);
  ASSERT_EQ(needed, sizeof L"portwayui.dll");
  ASSERT(wcscmp(out, L"portwayui.dll") == 0);
}

/* ---- AddPort / DeletePort ---- */

MT_TEST(addport_with_only_a_name_adds_a_listed_stored_port) {
  WCHAR uri[1024];
  DWORD needed = DEADBEEF_DW;
  int found = 0;
  ASSERT_EQ(xcv1(f, ADMIN, L"AddPort", L"PWA1:", NULL, NULL, 0, &needed),
            ERROR_SUCCESS);
  ASSERT_EQ(needed, 0);
  ASSERT_EQ(mt_enum_count(f, L"PWA1:", &found), 1);
  ASSERT(found);
  ASSERT(memreg_get_sz(f->reg, L"Ports\\PWA1:", L"Config", uri, 1024));
  ASSERT(wcsncmp(uri, L"uri=file:///", 12) == 0);
}

/* The whole text is one value, so a reader elsewhere sees all of it or
 * none of it. */
MT_TEST(addport_with_config_stores_the_whole_text_in_one_value) {
  WCHAR config[MT_PATH * 3], stored[MT_PATH * 3], got[MT_PATH * 3];
  DWORD needed = 0;
  mt_file_config(f->dir, config, MT_PATH * 3);
  wcscat(config, L"pattern=x-{job}.prn\n");
  ASSERT_EQ(mt_add_port_config(f, L"PWA2:", config), ERROR_SUCCESS);
  ASSERT_EQ(memreg_value_count(f->reg, L"Ports\\PWA2:"), 1);
  ASSERT(
      memreg_get_sz(f->reg, L"Ports\\PWA2:", L"Config", stored, MT_PATH * 3));
  ASSERT(wcsstr(stored, L"\npattern=x-{job}.prn\n") != NULL);
  ASSERT_EQ(xcv1(f, 0, L"GetConfig", L"PWA2:", NULL, got, sizeof got, &needed),
            ERROR_SUCCESS);
  ASSERT(wcscmp(stored, got) == 0);
}

/* Every change to a port's entry moves the root's ChangeStamp, which
 * monitors in other processes compare before re-reading their ports. */
MT_TEST(every_port_change_moves_the_change_stamp) {
  WCHAR s1[32], s2[32], s3[32], config[MT_PATH * 3];
  ASSERT_EQ(xcv1(f, ADMIN, L"AddPort", L"PWS1:", NULL, NULL, 0, NULL),
            ERROR_SUCCESS);
  ASSERT(memreg_get_sz(f->reg, L"", L"ChangeStamp", s1, 32));
  ASSERT_EQ(wcslen(s1), 16);
  mt_file_config(f->dir, config, MT_PATH * 3);
  ASSERT_EQ(xcv1(f, ADMIN, L"SetConfig", L"PWS1:", config, NULL, 0, NULL),
            ERROR_SUCCESS);
  ASSERT(memreg_get_sz(f->reg, L"", L"ChangeStamp", s2, 32));
  ASSERT(wcscmp(s1, s2) != 0);
  ASSERT_EQ(xcv1(f, ADMIN, L"DeletePort", L"PWS1:", NULL, NULL, 0, NULL),
            ERROR_SUCCESS);
  ASSERT(memreg_get_sz(f->reg, L"", L"ChangeStamp", s3, 32));
  ASSERT(wcscmp(s2, s3) != 0);
}

MT_TEST(addport_existing_name_fails_without_a_duplicate) {
  ASSERT_EQ(mt_add_file_port(f, L"PWA3:", f->dir), ERROR_SUCCESS);
  ASSERT_EQ(xcv1(f, ADMIN, L"AddPort", L"PWA3:", NULL, NULL, 0, NULL),
            ERROR_ALREADY_EXISTS);
  ASSERT_EQ(xcv1(f, ADMIN, L"AddPort", L"pwa3:", NULL, NULL, 0, NULL),
            ERROR_ALREADY_EXISTS);
  ASSERT_EQ(mt_enum_count(f, NULL, NULL), 1);
}

MT_TEST(addport_rejects_bad_names_and_bad_config) {
  ASSERT_EQ(xcv1(f, ADMIN, L"AddPort", L"PW,A", NULL, NULL, 0, NULL),
            ERROR_INVALID_NAME);
  ASSERT_EQ(xcv1(f, ADMIN, L"AddPort", L"", NULL, NULL, 0, NULL),
            ERROR_INVALID_NAME);
  ASSERT_EQ(
      xcv1(f, ADMIN, L"AddPort", L"PWA4:", L"uri=nonsense", NULL, 0, NULL),
      ERROR_INVALID_DATA);
  ASSERT_EQ(
      xcv1(f, ADMIN, L"AddPort", L"PWA4:", L"pattern=x.prn\n", NULL, 0, NULL),
      ERROR_INVALID_DATA);
  ASSERT_EQ(mt_enum_count(f, NULL, NULL), 0);
  ASSERT(!memreg_key_exists(f->reg, L"Ports\\PWA4:"));
}

MT_TEST(deleteport_removes_the_port_from_enum_and_store) {
  int found = 1;
  ASSERT_EQ(mt_add_file_port(f, L"PWA5:", f->dir), ERROR_SUCCESS);
  ASSERT(memreg_key_exists(f->reg, L"Ports\\PWA5:"));
  ASSERT_EQ(mt_delete_port(f, L"PWA5:"), ERROR_SUCCESS);
  ASSERT_EQ(mt_enum_count(f, L"PWA5:", &found), 0);
  ASSERT(!found);
  ASSERT(!memreg_key_exists(f->reg, L"Ports\\PWA5:"));
}

MT_TEST(deleteport_unknown_fails_with_file_not_found) {
  ASSERT_EQ(mt_delete_port(f, L"PWNONE:"), ERROR_FILE_NOT_FOUND);
}

/* Wine 8.0, observed with its localmon conformance test: native answers
 * ERROR_FILE_NOT_FOUND for DeletePort "" on a ",XcvMonitor" handle (no port
 * named, and the monitor object is no port). */
MT_TEST(deleteport_empty_name_on_the_monitor_handle_is_file_not_found) {
  ASSERT_EQ(mt_add_file_port(f, L"PWA6:", f->dir), ERROR_SUCCESS);
  ASSERT_EQ(xcv1(f, ADMIN, L"DeletePort", L"", NULL, NULL, 0, NULL),
            ERROR_FILE_NOT_FOUND);
  ASSERT_EQ(mt_enum_count(f, NULL, NULL), 1);
}

/* ---- queries ---- */

MT_TEST(portexists_answers_a_dword) {
  DWORD out = DEADBEEF_DW, needed = DEADBEEF_DW;
  ASSERT_EQ(mt_add_file_port(f, L"PWQ1:", f->dir), ERROR_SUCCESS);
  ASSERT_EQ(xcv1(f, 0, L"PortExists", L"PWQ1:", NULL, NULL, 0, &needed),
            ERROR_INSUFFICIENT_BUFFER);
  ASSERT_EQ(needed, sizeof(DWORD));
  ASSERT_EQ(
      xcv1(f, 0, L"PortExists", L"PWQ1:", NULL, &out, sizeof out, &needed),
      ERROR_SUCCESS);
  ASSERT(out != 0);
  out = DEADBEEF_DW;
  ASSERT_EQ(
      xcv1(f, 0, L"PortExists", L"PWQ2:", NULL, &out, sizeof out, &needed),
      ERROR_SUCCESS);
  ASSERT_EQ(out, 0);
}

MT_TEST(portisvalid_accepts_only_valid_names) {
  ASSERT_EQ(xcv1(f, 0, L"PortIsValid", L"PWV1:", NULL, NULL, 0, NULL),
            ERROR_SUCCESS);
  ASSERT_EQ(xcv1(f, 0, L"PortIsValid", L"PW\\V1", NULL, NULL, 0, NULL),
            ERROR_INVALID_NAME);
  ASSERT_EQ(xcv1(f, 0, L"PortIsValid", L"PW V1 ", NULL, NULL, 0, NULL),
            ERROR_INVALID_NAME);
}

MT_TEST(getconfig_and_setconfig_round_trip) {
  WCHAR out[2048], again[2048], stored[2048];
  DWORD needed = 0;
  ASSERT_EQ(mt_add_file_port(f, L"PWC1:", f->dir), ERROR_SUCCESS);
  ASSERT_EQ(xcv1(f, 0, L"GetConfig", L"PWC1:", NULL, NULL, 0, &needed),
            ERROR_INSUFFICIENT_BUFFER);
  ASSERT(needed > 0 && needed <= sizeof out);
  ASSERT_EQ(xcv1(f, 0, L"GetConfig", L"PWC1:", NULL, out, needed, &needed),
            ERROR_SUCCESS);
  ASSERT(wcsncmp(out, L"uri=file:///", 12) == 0);
  /* Feeding GetConfig's text back changes nothing. */
  ASSERT_EQ(xcv1(f, ADMIN, L"SetConfig", L"PWC1:", out, NULL, 0, NULL),
            ERROR_SUCCESS);
  ASSERT_EQ(
      xcv1(f, 0, L"GetConfig", L"PWC1:", NULL, again, sizeof again, &needed),
      ERROR_SUCCESS);
  ASSERT(wcscmp(out, again) == 0);
  /* A new pattern is stored and read back. */
  mt_file_config(f->dir, out, sizeof out / sizeof out[0]);
  wcscat(out, L"pattern=set-{job}.prn\n");
  ASSERT_EQ(xcv1(f, ADMIN, L"SetConfig", L"PWC1:", out, NULL, 0, NULL),
            ERROR_SUCCESS);
  ASSERT_EQ(
      xcv1(f, 0, L"GetConfig", L"PWC1:", NULL, again, sizeof again, &needed),
      ERROR_SUCCESS);
  ASSERT(wcsstr(again, L"pattern=set-{job}.prn\n") != NULL);
  ASSERT(memreg_get_sz(f->reg, L"Ports\\PWC1:", L"Config", stored, 2048));
  ASSERT(wcscmp(stored, again) == 0);
  /* A bad config is refused and changes nothing. */
  ASSERT_EQ(xcv1(f, ADMIN, L"SetConfig", L"PWC1:", L"uri=::bad", NULL, 0, NULL),
            ERROR_INVALID_DATA);
  ASSERT_EQ(xcv1(f, 0, L"GetConfig", L"PWC1:", NULL, out, sizeof out, &needed),
            ERROR_SUCCESS);
  ASSERT(wcscmp(out, again) == 0);
  ASSERT_EQ(xcv1(f, ADMIN, L"SetConfig", L"PWC2:", again, NULL, 0, NULL),
            ERROR_FILE_NOT_FOUND);
}

/* After SetConfig the port key holds the new text as its one value: an
 * option removed is gone with the old text, no stale line stays behind. */
MT_TEST(setconfig_replaces_the_one_config_value_whole) {
  WCHAR config[MT_PATH * 3], base[MT_PATH * 3], value[MT_PATH * 3];
  mt_file_config(f->dir, base, MT_PATH * 3);
  wcscpy(config, base);
  wcscat(config, L"timeout=30\n");
  ASSERT_EQ(mt_add_port_config(f, L"PWC3:", config), ERROR_SUCCESS);
  ASSERT(memreg_get_sz(f->reg, L"Ports\\PWC3:", L"Config", value, MT_PATH * 3));
  ASSERT(wcsstr(value, L"timeout=30\n") != NULL);
  ASSERT_EQ(xcv1(f, ADMIN, L"SetConfig", L"PWC3:", base, NULL, 0, NULL),
            ERROR_SUCCESS);
  ASSERT(memreg_get_sz(f->reg, L"Ports\\PWC3:", L"Config", value, MT_PATH * 3));
  ASSERT(wcsstr(value, L"timeout=") == NULL);
  ASSERT(wcsncmp(value, L"uri=file:///", 12) == 0);
  ASSERT_EQ(memreg_value_count(f->reg, L"Ports\\PWC3:"), 1);
  ASSERT_EQ(memreg_open_handles(f->reg), 0);
}

/* Removing what a port key should not hold never reads value data: one
 * oversized foreign value must not make writes fail. */
MT_TEST(setconfig_succeeds_beside_a_100kb_foreign_value) {
  WCHAR config[MT_PATH * 3], value[MT_PATH * 3];
  BYTE *big = calloc(100 * 1024, 1);
  ASSERT(big != NULL);
  mt_file_config(f->dir, config, MT_PATH * 3);
  ASSERT_EQ(mt_add_port_config(f, L"PWC5:", config), ERROR_SUCCESS);
  BOOL set = memreg_set(f->reg, L"Ports\\PWC5:", L"Foreign", REG_BINARY, big,
                        100 * 1024);
  free(big);
  ASSERT(set);
  wcscat(config, L"pattern=big-{job}.prn\n");
  ASSERT_EQ(xcv1(f, ADMIN, L"SetConfig", L"PWC5:", config, NULL, 0, NULL),
            ERROR_SUCCESS);
  ASSERT(memreg_get_sz(f->reg, L"Ports\\PWC5:", L"Config", value, MT_PATH * 3));
  ASSERT(wcsstr(value, L"pattern=big-{job}.prn\n") != NULL);
  /* And again: the write after that one works too. */
  ASSERT_EQ(xcv1(f, ADMIN, L"SetConfig", L"PWC5:", config, NULL, 0, NULL),
            ERROR_SUCCESS);
  ASSERT_EQ(memreg_open_handles(f->reg), 0);
}

/* A port written by the previous release (one value per config line) is
 * still read, and the next write converts it to the one Config value. */
MT_TEST(legacy_per_line_port_is_read_and_converted_on_next_write) {
  static const WCHAR uri[] = L"file:///C:/legacy";
  static const WCHAR pattern[] = L"old-{job}.prn";
  WCHAR out[2048], value[2048];
  DWORD needed = 0;
  mt_shutdown(f);
  ASSERT(memreg_set(f->reg, L"Ports\\PWL1:", L"uri", REG_SZ, uri, sizeof uri));
  ASSERT(memreg_set(f->reg, L"Ports\\PWL1:", L"pattern", REG_SZ, pattern,
                    sizeof pattern));
  f->m = f->init_fn(&f->init, &f->hmon);
  ASSERT(f->m != NULL);
  ASSERT_EQ(xcv1(f, 0, L"GetConfig", L"PWL1:", NULL, out, sizeof out, &needed),
            ERROR_SUCCESS);
  ASSERT(wcsstr(out, L"uri=file:///C:/legacy") != NULL);
  ASSERT(wcsstr(out, L"pattern=old-{job}.prn\n") != NULL);
  ASSERT(!memreg_get_sz(f->reg, L"Ports\\PWL1:", L"Config", value, 2048));
  /* The next write stores Config and removes the old lines. */
  ASSERT_EQ(xcv1(f, ADMIN, L"SetConfig", L"PWL1:", out, NULL, 0, NULL),
            ERROR_SUCCESS);
  ASSERT(memreg_get_sz(f->reg, L"Ports\\PWL1:", L"Config", value, 2048));
  ASSERT(wcscmp(value, out) == 0);
  ASSERT(!memreg_get_sz(f->reg, L"Ports\\PWL1:", L"uri", value, 2048));
  ASSERT(!memreg_get_sz(f->reg, L"Ports\\PWL1:", L"pattern", value, 2048));
  ASSERT_EQ(memreg_value_count(f->reg, L"Ports\\PWL1:"), 1);
  /* Read back after a restart, from Config. */
  mt_shutdown(f);
  f->m = f->init_fn(&f->init, &f->hmon);
  ASSERT(f->m != NULL);
  ASSERT_EQ(
      xcv1(f, 0, L"GetConfig", L"PWL1:", NULL, value, sizeof value, &needed),
      ERROR_SUCCESS);
  ASSERT(wcscmp(value, out) == 0);
}

MT_TEST(getconfig_with_empty_name_uses_the_xcvport_object) {
  WCHAR out[2048], by_name[2048];
  BYTE in[8];
  HANDLE h = NULL;
  DWORD needed = 0;
  ASSERT_EQ(mt_add_file_port(f, L"PWC4:", f->dir), ERROR_SUCCESS);
  ASSERT_EQ(xcv1(f, 0, L"GetConfig", L"PWC4:", NULL, by_name, sizeof by_name,
                 &needed),
            ERROR_SUCCESS);
  ASSERT(f->m->pfnXcvOpenPort(f->hmon, L"PWC4:", 0, &h));
  DWORD cb = mt_strings(L"", NULL, in, sizeof in);
  DWORD rc = f->m->pfnXcvDataPort(h, L"GetConfig", in, cb, (PBYTE)out,
                                  sizeof out, &needed);
  ASSERT(f->m->pfnXcvClosePort(h));
  ASSERT_EQ(rc, ERROR_SUCCESS);
  ASSERT(wcscmp(out, by_name) == 0);
}

/* ---- bad requests ---- */

MT_TEST(unknown_or_miscased_command_is_invalid_parameter) {
  DWORD needed = DEADBEEF_DW;
  ASSERT_EQ(xcv1(f, ADMIN, L"NoSuchCommand", L"PWU1:", NULL, NULL, 0, &needed),
            ERROR_INVALID_PARAMETER);
  ASSERT_EQ(needed, 0);
  ASSERT_EQ(xcv1(f, ADMIN, L"addport", L"PWU1:", NULL, NULL, 0, NULL),
            ERROR_INVALID_PARAMETER);
  ASSERT_EQ(xcv1(f, ADMIN, L"", L"PWU1:", NULL, NULL, 0, NULL),
            ERROR_INVALID_PARAMETER);
  ASSERT_EQ(mt_enum_count(f, NULL, NULL), 0);
}

MT_TEST(malformed_input_is_invalid_data_and_changes_nothing) {
  static const WCHAR unterminated[] = {'P', 'W', 'M', '1', ':'};
  BYTE odd[] = {'P', 0, 'W', 0, 0, 0, 0};
  BYTE trailing[32];
  DWORD cb = mt_strings(L"PWM2:", NULL, trailing, sizeof trailing);
  trailing[cb] = 'x';
  ASSERT_EQ(mt_xcv(f, PWM_TEST_MONITOR, ADMIN, L"AddPort", unterminated,
                   sizeof unterminated, NULL, 0, NULL),
            ERROR_INVALID_DATA);
  ASSERT_EQ(mt_xcv(f, PWM_TEST_MONITOR, ADMIN, L"AddPort", odd, sizeof odd,
                   NULL, 0, NULL),
            ERROR_INVALID_DATA);
  ASSERT_EQ(mt_xcv(f, PWM_TEST_MONITOR, ADMIN, L"AddPort", trailing, cb + 1,
                   NULL, 0, NULL),
            ERROR_INVALID_DATA);
  ASSERT_EQ(
      mt_xcv(f, PWM_TEST_MONITOR, ADMIN, L"AddPort", NULL, 10, NULL, 0, NULL),
      ERROR_INVALID_DATA);
  ASSERT_EQ(
      mt_xcv(f, PWM_TEST_MONITOR, ADMIN, L"AddPort", NULL, 0, NULL, 0, NULL),
      ERROR_INVALID_DATA);
  ASSERT_EQ(mt_enum_count(f, NULL, NULL), 0);
}

MT_TEST(mutating_commands_need_administer_access) {
  WCHAR config[MT_PATH * 3], out[2048], after[2048];
  DWORD needed = 0, exists = 0;
  mt_file_config(f->dir, config, MT_PATH * 3);
  ASSERT_EQ(mt_add_file_port(f, L"PWS1:", f->dir), ERROR_SUCCESS);
  ASSERT_EQ(xcv1(f, 0, L"GetConfig", L"PWS1:", NULL, out, sizeof out, &needed),
            ERROR_SUCCESS);
  DWORD user = PRINTER_ACCESS_USE | SERVER_ACCESS_ENUMERATE;
  ASSERT_EQ(xcv1(f, user, L"AddPort", L"PWS2:", NULL, NULL, 0, NULL),
            ERROR_ACCESS_DENIED);
  ASSERT_EQ(xcv1(f, user, L"DeletePort", L"PWS1:", NULL, NULL, 0, NULL),
            ERROR_ACCESS_DENIED);
  ASSERT_EQ(xcv1(f, user, L"SetConfig", L"PWS1:", L"uri=file:///C:/elsewhere",
                 NULL, 0, NULL),
            ERROR_ACCESS_DENIED);
  ASSERT_EQ(
      xcv1(f, user, L"SetMonitorConfig", L"loglevel=off", NULL, NULL, 0, NULL),
      ERROR_ACCESS_DENIED);
  /* Nothing changed, and reading still works without the right. */
  ASSERT_EQ(
      xcv1(f, user, L"GetConfig", L"PWS1:", NULL, after, sizeof after, &needed),
      ERROR_SUCCESS);
  ASSERT(wcscmp(out, after) == 0);
  ASSERT_EQ(xcv1(f, user, L"PortExists", L"PWS2:", NULL, &exists, sizeof exists,
                 &needed),
            ERROR_SUCCESS);
  ASSERT_EQ(exists, 0);
  ASSERT_EQ(mt_enum_count(f, NULL, NULL), 1);
  ASSERT(!memreg_key_exists(f->reg, L"Ports\\PWS2:"));
}

MT_TEST(null_pointer_arguments_are_refused) {
  HANDLE h = NULL, untouched = (HANDLE)(ULONG_PTR)0xdeadbeef;
  WCHAR longcmd[300];
  DWORD needed = DEADBEEF_DW;
  BYTE in[32];
  DWORD cb = mt_strings(L"PWN1:", NULL, in, sizeof in);
  wmemset(longcmd, L'A', 299);
  longcmd[299] = 0;
  SetLastError(0);
  ASSERT(!f->m->pfnXcvOpenPort(f->hmon, NULL, ADMIN, NULL));
  ASSERT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  ASSERT(f->m->pfnXcvOpenPort(f->hmon, NULL, ADMIN, &h));
  ASSERT_EQ(f->m->pfnXcvDataPort(h, L"AddPort", in, cb, NULL, 0, NULL),
            ERROR_INVALID_PARAMETER);
  ASSERT_EQ(f->m->pfnXcvDataPort(h, NULL, in, cb, NULL, 0, &needed),
            ERROR_INVALID_PARAMETER);
  ASSERT_EQ(f->m->pfnXcvDataPort(h, L"MonitorUI", NULL, 0, NULL, 64, &needed),
            ERROR_INVALID_PARAMETER);
  ASSERT_EQ(f->m->pfnXcvDataPort(h, longcmd, in, cb, NULL, 0, &needed),
            ERROR_INVALID_PARAMETER);
  ASSERT(f->m->pfnXcvClosePort(h));
  ASSERT_EQ(mt_enum_count(f, NULL, NULL), 0);
  (void)untouched;
}

MT_TEST(xcvopenport_failure_leaves_handle_untouched) {
  static const WCHAR lone[] = {'P', 0xD801, 0};
  HANDLE h = (HANDLE)(ULONG_PTR)0xdeadbeef;
  SetLastError(0);
  ASSERT(!f->m->pfnXcvOpenPort(f->hmon, lone, ADMIN, &h));
  ASSERT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  ASSERT(h == (HANDLE)(ULONG_PTR)0xdeadbeef);
}

MT_TEST(xcvcloseport_invalidates_the_handle) {
  HANDLE h = NULL;
  DWORD needed;
  BYTE stack[16] = {0};
  ASSERT(f->m->pfnXcvOpenPort(f->hmon, L"portway", ADMIN, &h));
  ASSERT(f->m->pfnXcvClosePort(h));
  ASSERT_EQ(f->m->pfnXcvDataPort(h, L"MonitorUI", NULL, 0, NULL, 0, &needed),
            ERROR_INVALID_HANDLE);
  SetLastError(0);
  ASSERT(!f->m->pfnXcvClosePort(h));
  ASSERT_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  HANDLE bad[] = {NULL, (HANDLE)(ULONG_PTR)0x1234, (HANDLE)stack};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    if (bad[i]) /* NULL: see the next test */
      ASSERT_EQ(
          f->m->pfnXcvDataPort(bad[i], L"MonitorUI", NULL, 0, NULL, 0, &needed),
          ERROR_INVALID_HANDLE);
    SetLastError(0);
    ASSERT(!f->m->pfnXcvClosePort(bad[i]));
    ASSERT_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  }
}

/* Modern Windows answers a NULL Xcv handle as a bad argument (Wine 8.0,
 * observed with its localmon conformance test). */
MT_TEST(xcvdataport_with_a_null_handle_is_invalid_parameter) {
  DWORD needed = DEADBEEF_DW;
  BYTE out[64];
  ASSERT_EQ(f->m->pfnXcvDataPort(NULL, L"MonitorUI", NULL, 0, out, sizeof out,
                                 &needed),
            ERROR_INVALID_PARAMETER);
  ASSERT_EQ(needed, 0);
}

MT_TEST(monitor_config_round_trips) {
  WCHAR out[64];
  DWORD needed = 0;
  ASSERT_EQ(xcv1(f, ADMIN, L"SetMonitorConfig", L"loglevel=warn", NULL, NULL, 0,
                 NULL),
            ERROR_SUCCESS);
  ASSERT_EQ(
      xcv1(f, 0, L"GetMonitorConfig", NULL, NULL, out, sizeof out, &needed),
      ERROR_SUCCESS);
  ASSERT(wcscmp(out, L"loglevel=warn\n") == 0);
  ASSERT_EQ(xcv1(f, ADMIN, L"SetMonitorConfig", L"loglevel=loud", NULL, NULL, 0,
                 NULL),
            ERROR_INVALID_DATA);
}

TEST_MAIN(
    TEST_ENTRY(monitorui_probe_gives_exact_size_then_the_name),
    TEST_ENTRY(addport_with_only_a_name_adds_a_listed_stored_port),
    TEST_ENTRY(addport_with_config_stores_the_whole_text_in_one_value),
    TEST_ENTRY(every_port_change_moves_the_change_stamp),
    TEST_ENTRY(addport_existing_name_fails_without_a_duplicate),
    TEST_ENTRY(addport_rejects_bad_names_and_bad_config),
    TEST_ENTRY(deleteport_removes_the_port_from_enum_and_store),
    TEST_ENTRY(deleteport_unknown_fails_with_file_not_found),
    TEST_ENTRY(deleteport_empty_name_on_the_monitor_handle_is_file_not_found),
    TEST_ENTRY(portexists_answers_a_dword),
    TEST_ENTRY(portisvalid_accepts_only_valid_names),
    TEST_ENTRY(getconfig_and_setconfig_round_trip),
    TEST_ENTRY(setconfig_replaces_the_one_config_value_whole),
    TEST_ENTRY(setconfig_succeeds_beside_a_100kb_foreign_value),
    TEST_ENTRY(legacy_per_line_port_is_read_and_converted_on_next_write),
    TEST_ENTRY(getconfig_with_empty_name_uses_the_xcvport_object),
    TEST_ENTRY(unknown_or_miscased_command_is_invalid_parameter),
    TEST_ENTRY(malformed_input_is_invalid_data_and_changes_nothing),
    TEST_ENTRY(mutating_commands_need_administer_access),
    TEST_ENTRY(null_pointer_arguments_are_refused),
    TEST_ENTRY(xcvopenport_failure_leaves_handle_untouched),
    TEST_ENTRY(xcvcloseport_invalidates_the_handle),
    TEST_ENTRY(xcvdataport_with_a_null_handle_is_invalid_parameter),
    TEST_ENTRY(monitor_config_round_trips))

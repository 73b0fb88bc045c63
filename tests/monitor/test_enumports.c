/* portway.dll — EnumPorts and AddPortEx (learn.microsoft.com "EnumPorts
 * function", "AddPortEx function", "PORT_INFO_1 structure", "PORT_INFO_2
 * structure"; Wine 8.0, observed). */
#include "test.h"

#include <stdlib.h>
#include <wchar.h>

#include "monfix.h"

#define CANARY 0xA5

static int add_two_ports(mt_fx *f) {
  CHECK_OR_RETURN(mt_add_file_port(f, L"PWE2:", f->dir) == ERROR_SUCCESS, 0);
  CHECK_OR_RETURN(mt_add_file_port(f, L"PWE1:", f->dir) == ERROR_SUCCESS, 0);
  return 1;
}

/* Does the whole string (with NUL) lie inside buf[0..cb)? */
static int string_inside(const BYTE *buf, DWORD cb, const WCHAR *s) {
  const BYTE *p = (const BYTE *)s;
  if (!s || p < buf || p >= buf + cb || ((ULONG_PTR)p & 1))
    return 0;
  size_t room = (size_t)(buf + cb - p) / sizeof(WCHAR);
  return wcsnlen(s, room) < room;
}

MT_TEST(enumports_with_no_ports_succeeds_with_nothing_needed) {
  DWORD needed = 0xdeadbeef, returned = 0xdeadbeef;
  ASSERT(f->m->pfnEnumPorts(f->hmon, NULL, 1, NULL, 0, &needed, &returned));
  ASSERT_EQ(needed, 0);
  ASSERT_EQ(returned, 0);
}

MT_TEST(enumports_size_probe_fails_with_insufficient_buffer) {
  DWORD needed = 0, returned = 0xdeadbeef;
  ASSERT(add_two_ports(f));
  for (DWORD level = 1; level <= 2; level++) {
    SetLastError(0);
    ASSERT(
        !f->m->pfnEnumPorts(f->hmon, NULL, level, NULL, 0, &needed, &returned));
    ASSERT_EQ(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    ASSERT(needed >
           2 * (level == 1 ? sizeof(PORT_INFO_1W) : sizeof(PORT_INFO_2W)));
    ASSERT_EQ(returned, 0);
  }
}

/* Exactly `needed` bytes succeed, one byte less fails with the same
 * `needed`, and nothing is written past the buffer. */
static void check_exact_sizing(mt_fx *f, DWORD level) {
  DWORD needed = 0, again = 0, returned = 0;
  ASSERT(
      !f->m->pfnEnumPorts(f->hmon, NULL, level, NULL, 0, &needed, &returned));
  BYTE *buf = malloc(needed + 16);
  ASSERT(buf != NULL);
  memset(buf, CANARY, needed + 16);
  SetLastError(0);
  int short_ok = f->m->pfnEnumPorts(f->hmon, NULL, level, buf, needed - 1,
                                    &again, &returned);
  DWORD short_err = GetLastError();
  DWORD short_returned = returned;
  int ok =
      f->m->pfnEnumPorts(f->hmon, NULL, level, buf, needed, &needed, &returned);
  int canary_ok = 1;
  for (DWORD i = needed; i < needed + 16; i++)
    canary_ok &= buf[i] == CANARY;
  int inside = 1, names_ok = returned == 2;
  for (DWORD i = 0; ok && i < returned; i++) {
    const WCHAR *name;
    if (level == 1) {
      PORT_INFO_1W pi;
      memcpy(&pi, buf + i * sizeof pi, sizeof pi);
      name = pi.pName;
    } else {
      PORT_INFO_2W pi;
      memcpy(&pi, buf + i * sizeof pi, sizeof pi);
      name = pi.pPortName;
      inside &= string_inside(buf, needed, pi.pMonitorName) &&
                string_inside(buf, needed, pi.pDescription);
    }
    inside &= string_inside(buf, needed, name);
    /* Sorted by name. */
    names_ok &= inside && wcscmp(name, i == 0 ? L"PWE1:" : L"PWE2:") == 0;
  }
  free(buf);
  ASSERT(!short_ok);
  ASSERT_EQ(short_err, ERROR_INSUFFICIENT_BUFFER);
  ASSERT_EQ(again, needed);
  ASSERT_EQ(short_returned, 0);
  ASSERT(ok);
  ASSERT(canary_ok);
  ASSERT(inside);
  ASSERT(names_ok);
}

MT_TEST(enumports_level1_exact_buffer_holds_every_string) {
  ASSERT(add_two_ports(f));
  check_exact_sizing(f, 1);
}

MT_TEST(enumports_level2_exact_buffer_holds_every_string) {
  ASSERT(add_two_ports(f));
  check_exact_sizing(f, 2);
}

MT_TEST(enumports_level2_fields_describe_a_writable_portway_port) {
  BYTE buf[4096];
  DWORD needed = 0, returned = 0;
  ASSERT(add_two_ports(f));
  ASSERT(f->m->pfnEnumPorts(f->hmon, NULL, 2, buf, sizeof buf, &needed,
                            &returned));
  ASSERT_EQ(returned, 2);
  for (DWORD i = 0; i < returned; i++) {
    PORT_INFO_2W pi;
    memcpy(&pi, buf + i * sizeof pi, sizeof pi);
    ASSERT(string_inside(buf, sizeof buf, pi.pMonitorName));
    ASSERT(wcscmp(pi.pMonitorName, L"portway") == 0);
    ASSERT(string_inside(buf, sizeof buf, pi.pDescription));
    ASSERT(wcslen(pi.pDescription) > 0);
    ASSERT(pi.fPortType & PORT_TYPE_WRITE);
    ASSERT_EQ(pi.Reserved, 0);
  }
}

/* fPortType says what the port is: a file port is write-only; a socket
 * port is network-attached and readable (the printer's back channel). */
MT_TEST(enumports_level2_port_type_tells_file_and_network_ports_apart) {
  BYTE buf[4096];
  DWORD needed = 0, returned = 0;
  ASSERT_EQ(mt_add_file_port(f, L"PWF:", f->dir), ERROR_SUCCESS);
  ASSERT_EQ(mt_add_port_config(f, L"PWN:", L"uri=socket://127.0.0.1:9100\n"),
            ERROR_SUCCESS);
  ASSERT(f->m->pfnEnumPorts(f->hmon, NULL, 2, buf, sizeof buf, &needed,
                            &returned));
  ASSERT_EQ(returned, 2);
  int seen = 0;
  for (DWORD i = 0; i < returned; i++) {
    PORT_INFO_2W pi;
    memcpy(&pi, buf + i * sizeof pi, sizeof pi);
    if (wcscmp(pi.pPortName, L"PWF:") == 0) {
      ASSERT_EQ(pi.fPortType, PORT_TYPE_WRITE);
      seen |= 1;
    } else if (wcscmp(pi.pPortName, L"PWN:") == 0) {
      ASSERT_EQ(pi.fPortType,
                PORT_TYPE_WRITE | PORT_TYPE_READ | PORT_TYPE_NET_ATTACHED);
      ASSERT(wcscmp(pi.pDescription, L"portway socket port") == 0);
      seen |= 2;
    }
  }
  ASSERT_EQ(seen, 3);
}

MT_TEST(enumports_odd_buffer_size_keeps_strings_aligned) {
  BYTE *buf;
  DWORD needed = 0, returned = 0;
  ASSERT(add_two_ports(f));
  ASSERT(!f->m->pfnEnumPorts(f->hmon, NULL, 2, NULL, 0, &needed, &returned));
  buf = malloc(needed + 1);
  ASSERT(buf != NULL);
  int ok =
      f->m->pfnEnumPorts(f->hmon, NULL, 2, buf, needed + 1, &needed, &returned);
  int aligned = 1;
  for (DWORD i = 0; ok && i < returned; i++) {
    PORT_INFO_2W pi;
    memcpy(&pi, buf + i * sizeof pi, sizeof pi);
    aligned &= string_inside(buf, needed + 1, pi.pPortName) &&
               string_inside(buf, needed + 1, pi.pMonitorName) &&
               string_inside(buf, needed + 1, pi.pDescription);
  }
  free(buf);
  ASSERT(ok);
  ASSERT_EQ(returned, 2);
  ASSERT(aligned);
}

MT_TEST(enumports_other_levels_fail_with_invalid_level) {
  BYTE buf[1024];
  DWORD needed, returned;
  DWORD levels[] = {0, 3, 4, 0xffffffff};
  ASSERT(add_two_ports(f));
  for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
    needed = returned = 0xdeadbeef;
    SetLastError(0);
    ASSERT(!f->m->pfnEnumPorts(f->hmon, NULL, levels[i], buf, sizeof buf,
                               &needed, &returned));
    ASSERT_EQ(GetLastError(), ERROR_INVALID_LEVEL);
    ASSERT_EQ(returned, 0);
  }
}

MT_TEST(enumports_null_counters_fail_with_invalid_parameter) {
  BYTE buf[1024];
  DWORD n = 0;
  ASSERT(add_two_ports(f));
  SetLastError(0);
  ASSERT(!f->m->pfnEnumPorts(f->hmon, NULL, 1, buf, sizeof buf, NULL, &n));
  ASSERT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  SetLastError(0);
  ASSERT(!f->m->pfnEnumPorts(f->hmon, NULL, 1, buf, sizeof buf, &n, NULL));
  ASSERT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
}

MT_TEST(enumports_ignores_the_server_name) {
  BYTE buf[1024];
  DWORD needed = 0, returned = 0;
  ASSERT(add_two_ports(f));
  ASSERT(f->m->pfnEnumPorts(f->hmon, (LPWSTR)L"\\\\elsewhere", 1, buf,
                            sizeof buf, &needed, &returned));
  ASSERT_EQ(returned, 2);
}

/* ---- AddPortEx ---- */

MT_TEST(addportex_level1_adds_a_default_file_port) {
  PORT_INFO_1W pi = {(LPWSTR)L"PWX1:"};
  BYTE in[64];
  WCHAR config[1024];
  int found = 0;
  ASSERT(f->m->pfnAddPortEx(f->hmon, NULL, 1, (LPBYTE)&pi, (LPWSTR)L"portway"));
  ASSERT_EQ(mt_enum_count(f, L"PWX1:", &found), 1);
  ASSERT(found);
  DWORD cb = mt_strings(L"PWX1:", NULL, in, sizeof in);
  ASSERT_EQ(mt_xcv(f, PWM_TEST_MONITOR, 0, L"GetConfig", in, cb, config,
                   sizeof config, NULL),
            ERROR_SUCCESS);
  ASSERT(wcsncmp(config, L"uri=file:///", 12) == 0);
  ASSERT(memreg_key_exists(f->reg, L"Ports\\PWX1:"));
}

#define PORTWAY_NAME ((LPWSTR)L"portway")

MT_TEST(addportex_rejects_other_levels_null_and_duplicates) {
  PORT_INFO_1W pi = {(LPWSTR)L"PWX2:"};
  PORT_INFO_1W null_name = {NULL};
  PORT_INFO_1W bad_name = {(LPWSTR)L"PW,X"};
  SetLastError(0);
  ASSERT(!f->m->pfnAddPortEx(f->hmon, NULL, 2, (LPBYTE)&pi, NULL));
  ASSERT_EQ(GetLastError(), ERROR_INVALID_LEVEL);
  SetLastError(0);
  ASSERT(!f->m->pfnAddPortEx(f->hmon, NULL, 1, NULL, NULL));
  ASSERT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  SetLastError(0);
  ASSERT(
      !f->m->pfnAddPortEx(f->hmon, NULL, 1, (LPBYTE)&null_name, PORTWAY_NAME));
  ASSERT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  SetLastError(0);
  ASSERT(
      !f->m->pfnAddPortEx(f->hmon, NULL, 1, (LPBYTE)&bad_name, PORTWAY_NAME));
  ASSERT_EQ(GetLastError(), ERROR_INVALID_NAME);
  ASSERT_EQ(mt_enum_count(f, NULL, NULL), 0);
  ASSERT(f->m->pfnAddPortEx(f->hmon, NULL, 1, (LPBYTE)&pi, PORTWAY_NAME));
  SetLastError(0);
  ASSERT(!f->m->pfnAddPortEx(f->hmon, NULL, 1, (LPBYTE)&pi, PORTWAY_NAME));
  ASSERT_EQ(GetLastError(), ERROR_ALREADY_EXISTS);
  ASSERT_EQ(mt_enum_count(f, NULL, NULL), 1);
}

/* Wine 8.0, observed with its localmon conformance test: AddPortEx whose
 * monitor name is NULL, "" or another monitor's fails with
 * ERROR_INVALID_PARAMETER and adds nothing. */
MT_TEST(addportex_for_no_or_another_monitor_fails_and_adds_nothing) {
  PORT_INFO_1W pi = {(LPWSTR)L"PWX3:"};
  const WCHAR *wrong[] = {NULL, L"", L"Local Port", L"portway2", L"portwa"};
  for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
    SetLastError(0);
    ASSERT(
        !f->m->pfnAddPortEx(f->hmon, NULL, 1, (LPBYTE)&pi, (LPWSTR)wrong[i]));
    ASSERT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  }
  ASSERT_EQ(mt_enum_count(f, NULL, NULL), 0);
  ASSERT(!memreg_key_exists(f->reg, L"Ports\\PWX3:"));
  /* Monitor names are registry key names: case does not matter. */
  ASSERT(f->m->pfnAddPortEx(f->hmon, NULL, 1, (LPBYTE)&pi, (LPWSTR)L"PortWay"));
  ASSERT_EQ(mt_enum_count(f, NULL, NULL), 1);
}

TEST_MAIN(
    TEST_ENTRY(enumports_with_no_ports_succeeds_with_nothing_needed),
    TEST_ENTRY(enumports_size_probe_fails_with_insufficient_buffer),
    TEST_ENTRY(enumports_level1_exact_buffer_holds_every_string),
    TEST_ENTRY(enumports_level2_exact_buffer_holds_every_string),
    TEST_ENTRY(enumports_level2_fields_describe_a_writable_portway_port),
    TEST_ENTRY(enumports_level2_port_type_tells_file_and_network_ports_apart),
    TEST_ENTRY(enumports_odd_buffer_size_keeps_strings_aligned),
    TEST_ENTRY(enumports_other_levels_fail_with_invalid_level),
    TEST_ENTRY(enumports_null_counters_fail_with_invalid_parameter),
    TEST_ENTRY(enumports_ignores_the_server_name),
    TEST_ENTRY(addportex_level1_adds_a_default_file_port),
    TEST_ENTRY(addportex_rejects_other_levels_null_and_duplicates),
    TEST_ENTRY(addportex_for_no_or_another_monitor_fails_and_adds_nothing))

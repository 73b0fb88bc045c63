/* portway.dll — tcpmon-compatible Xcv through the MONITOR2 table
 * (Microsoft's "TCPMON Xcv Interface" and "TCPMON Xcv Commands" pages;
 * docs/xcv.md, "tcpmon-compatible commands"): a script written for "Standard
 * TCP/IP Port" works against portway by changing only the monitor name. */
#include "test.h"

#include <stddef.h>
#include <stdlib.h>
#include <wchar.h>

#include "monfix.h"
#include "monitor/tcpxcv_compat.h"

#define ADMIN SERVER_ACCESS_ADMINISTER
#define DEADBEEF_DW 0xdeadbeefu

static void port_data(PWT_PORT_DATA_1 *pd, const WCHAR *name, DWORD protocol,
                      const WCHAR *host, DWORD port) {
  memset(pd, 0, sizeof *pd);
  wcscpy(pd->sztPortName, name);
  pd->dwVersion = 1;
  pd->dwProtocol = protocol;
  pd->cbSize = sizeof *pd;
  wcscpy(pd->sztHostAddress, host);
  wcscpy(pd->sztSNMPCommunity, L"public"); /* what tcpmon scripts send */
  pd->dwPortNumber = port;
  pd->dwSNMPEnabled = 1;
  pd->dwSNMPDevIndex = 1;
}

static DWORD xcv(mt_fx *f, const WCHAR *object, DWORD access, const WCHAR *cmd,
                 const void *in, DWORD cb_in, void *out, DWORD cb_out,
                 DWORD *needed) {
  return mt_xcv(f, object, access, cmd, in, cb_in, out, cb_out, needed);
}

static int config_is(mt_fx *f, const WCHAR *port, const WCHAR *want) {
  BYTE in[256];
  WCHAR got[512];
  DWORD needed = 0;
  DWORD cb = mt_strings(port, NULL, in, sizeof in);
  if (xcv(f, PWM_TEST_MONITOR, 0, L"GetConfig", in, cb, got, sizeof got,
          &needed) != ERROR_SUCCESS)
    return 0;
  if (wcscmp(got, want) != 0) {
    fprintf(stderr, "  config of %ls: \"%ls\"\n", port, got);
    return 0;
  }
  return 1;
}

MT_TEST(addport_with_port_data_1_makes_an_ordinary_socket_port) {
  PWT_PORT_DATA_1 pd;
  DWORD needed = DEADBEEF_DW;
  int found = 0;
  port_data(&pd, L"IP_127.0.0.1", PWT_PROTOCOL_RAWTCP_TYPE, L"127.0.0.1", 9100);
  ASSERT_EQ(xcv(f, PWM_TEST_MONITOR, ADMIN, L"AddPort", &pd, sizeof pd, NULL, 0,
                &needed),
            ERROR_SUCCESS);
  ASSERT_EQ(needed, 0);
  ASSERT_EQ(mt_enum_count(f, L"IP_127.0.0.1", &found), 1);
  ASSERT(found);
  ASSERT(config_is(f, L"IP_127.0.0.1", L"uri=socket://127.0.0.1:9100\n"));
  ASSERT_EQ(xcv(f, PWM_TEST_MONITOR, ADMIN, L"AddPort", &pd, sizeof pd, NULL, 0,
                &needed),
            ERROR_ALREADY_EXISTS);
}

MT_TEST(getconfiginfo_round_trips_and_configport_changes_the_port) {
  PWT_PORT_DATA_1 pd, got;
  PWT_CONFIG_INFO_DATA_1 ci;
  DWORD needed = DEADBEEF_DW;
  port_data(&pd, L"IP_RT", PWT_PROTOCOL_RAWTCP_TYPE, L"127.0.0.1", 0);
  ASSERT_EQ(xcv(f, PWM_TEST_MONITOR, ADMIN, L"AddPort", &pd, sizeof pd, NULL, 0,
                &needed),
            ERROR_SUCCESS);
  memset(&ci, 0, sizeof ci);
  ci.dwVersion = 1;
  ASSERT_EQ(
      xcv(f, L"IP_RT", 0, L"GetConfigInfo", &ci, sizeof ci, NULL, 0, &needed),
      ERROR_INSUFFICIENT_BUFFER);
  ASSERT_EQ(needed, sizeof got);
  memset(&got, 0xAB, sizeof got);
  ASSERT_EQ(xcv(f, L"IP_RT", 0, L"GetConfigInfo", &ci, sizeof ci, &got,
                sizeof got, &needed),
            ERROR_SUCCESS);
  ASSERT_EQ(needed, sizeof got);
  ASSERT(wcscmp(got.sztPortName, L"IP_RT") == 0);
  ASSERT_EQ(got.dwVersion, 1);
  ASSERT_EQ(got.dwProtocol, PWT_PROTOCOL_RAWTCP_TYPE);
  ASSERT_EQ(got.cbSize, sizeof got);
  ASSERT(wcscmp(got.sztHostAddress, L"127.0.0.1") == 0);
  ASSERT(wcscmp(got.sztIPAddress, L"127.0.0.1") == 0);
  ASSERT_EQ(got.dwPortNumber, 9100); /* 0 was the default */
  ASSERT_EQ(got.dwSNMPEnabled, 0);
  /* Fed back with another port number, as a tcpmon script does. */
  got.dwPortNumber = 9101;
  ASSERT_EQ(xcv(f, L"IP_RT", ADMIN, L"ConfigPort", &got, sizeof got, NULL, 0,
                &needed),
            ERROR_SUCCESS);
  ASSERT(config_is(f, L"IP_RT", L"uri=socket://127.0.0.1:9101\n"));
}

MT_TEST(deleteport_with_delete_port_data_1_removes_the_port) {
  PWT_PORT_DATA_1 pd;
  PWT_DELETE_PORT_DATA_1 dp;
  DWORD needed = DEADBEEF_DW;
  int found = 1;
  port_data(&pd, L"IP_DEL", PWT_PROTOCOL_RAWTCP_TYPE, L"127.0.0.1", 9100);
  ASSERT_EQ(xcv(f, PWM_TEST_MONITOR, ADMIN, L"AddPort", &pd, sizeof pd, NULL, 0,
                &needed),
            ERROR_SUCCESS);
  memset(&dp, 0, sizeof dp);
  wcscpy(dp.psztPortName, L"IP_DEL");
  dp.dwVersion = 1;
  ASSERT_EQ(xcv(f, PWM_TEST_MONITOR, 0, L"DeletePort", &dp, sizeof dp, NULL, 0,
                &needed),
            ERROR_ACCESS_DENIED);
  ASSERT_EQ(xcv(f, PWM_TEST_MONITOR, ADMIN, L"DeletePort", &dp, sizeof dp, NULL,
                0, &needed),
            ERROR_SUCCESS);
  ASSERT_EQ(mt_enum_count(f, L"IP_DEL", &found), 0);
  ASSERT(!found);
  ASSERT_EQ(xcv(f, PWM_TEST_MONITOR, ADMIN, L"DeletePort", &dp, sizeof dp, NULL,
                0, &needed),
            ERROR_FILE_NOT_FOUND);
}

MT_TEST(single_value_getters_answer_on_a_port_handle) {
  PWT_PORT_DATA_1 pd;
  WCHAR s[64];
  DWORD dw = DEADBEEF_DW, needed = 0;
  port_data(&pd, L"IP_GET", PWT_PROTOCOL_RAWTCP_TYPE, L"localhost", 9100);
  ASSERT_EQ(xcv(f, PWM_TEST_MONITOR, ADMIN, L"AddPort", &pd, sizeof pd, NULL, 0,
                &needed),
            ERROR_SUCCESS);
  ASSERT_EQ(xcv(f, L"IP_GET", 0, L"HostAddress", NULL, 0, NULL, 0, &needed),
            ERROR_INSUFFICIENT_BUFFER);
  ASSERT_EQ(needed, sizeof L"localhost");
  ASSERT_EQ(xcv(f, L"IP_GET", 0, L"HostAddress", NULL, 0, s, sizeof s, &needed),
            ERROR_SUCCESS);
  ASSERT(wcscmp(s, L"localhost") == 0);
  ASSERT_EQ(xcv(f, L"IP_GET", 0, L"IPAddress", NULL, 0, s, sizeof s, &needed),
            ERROR_SUCCESS);
  ASSERT(wcscmp(s, L"") == 0);
  ASSERT_EQ(
      xcv(f, L"IP_GET", 0, L"SNMPCommunity", NULL, 0, s, sizeof s, &needed),
      ERROR_SUCCESS);
  ASSERT(wcscmp(s, L"") == 0);
  ASSERT_EQ(
      xcv(f, L"IP_GET", 0, L"SNMPEnabled", NULL, 0, &dw, sizeof dw, &needed),
      ERROR_SUCCESS);
  ASSERT_EQ(dw, 0);
  dw = DEADBEEF_DW;
  ASSERT_EQ(xcv(f, L"IP_GET", 0, L"SNMPDeviceIndex", NULL, 0, &dw, sizeof dw,
                &needed),
            ERROR_SUCCESS);
  ASSERT_EQ(dw, 0);
  ASSERT_EQ(xcv(f, L"IP_GET", 0, L"SNMPEnabled", NULL, 0, &dw, 3, &needed),
            ERROR_INSUFFICIENT_BUFFER);
  ASSERT_EQ(needed, 4);
}

MT_TEST(every_documented_error) {
  PWT_PORT_DATA_1 pd;
  PWT_CONFIG_INFO_DATA_1 ci;
  BYTE big[sizeof pd + 4];
  DWORD needed = 0;
  int found = 1;
  port_data(&pd, L"IP_ERR", PWT_PROTOCOL_RAWTCP_TYPE, L"127.0.0.1", 9100);
  /* NULL input: invalid data. */
  ASSERT_EQ(
      xcv(f, PWM_TEST_MONITOR, ADMIN, L"ConfigPort", NULL, 0, NULL, 0, &needed),
      ERROR_INVALID_DATA);
  ASSERT_EQ(xcv(f, PWM_TEST_MONITOR, ADMIN, L"ConfigPort", NULL, sizeof pd,
                NULL, 0, &needed),
            ERROR_INVALID_DATA);
  /* No administer right: denied. */
  ASSERT_EQ(
      xcv(f, PWM_TEST_MONITOR, 0, L"AddPort", &pd, sizeof pd, NULL, 0, &needed),
      ERROR_ACCESS_DENIED);
  /* Wrong size: invalid parameter. */
  ASSERT_EQ(xcv(f, PWM_TEST_MONITOR, ADMIN, L"AddPort", &pd, sizeof pd - 4,
                NULL, 0, &needed),
            ERROR_INVALID_PARAMETER);
  memcpy(big, &pd, sizeof pd);
  memset(big + sizeof pd, 0, 4);
  ASSERT_EQ(xcv(f, PWM_TEST_MONITOR, ADMIN, L"AddPort", big, sizeof big, NULL,
                0, &needed),
            ERROR_INVALID_PARAMETER);
  pd.cbSize = 1068; /* sizeof(PORT_DATA_2) */
  ASSERT_EQ(xcv(f, PWM_TEST_MONITOR, ADMIN, L"AddPort", &pd, sizeof pd, NULL, 0,
                &needed),
            ERROR_INVALID_PARAMETER);
  pd.cbSize = sizeof pd;
  /* Wrong version: invalid level. */
  pd.dwVersion = 2;
  ASSERT_EQ(xcv(f, PWM_TEST_MONITOR, ADMIN, L"AddPort", &pd, sizeof pd, NULL, 0,
                &needed),
            ERROR_INVALID_LEVEL);
  pd.dwVersion = 1;
  /* A field without its NUL: invalid data. */
  for (size_t i = 0; i < 49; i++)
    pd.sztHostAddress[i] = L'A';
  ASSERT_EQ(xcv(f, PWM_TEST_MONITOR, ADMIN, L"AddPort", &pd, sizeof pd, NULL, 0,
                &needed),
            ERROR_INVALID_DATA);
  ASSERT_EQ(mt_enum_count(f, L"IP_ERR", &found), 0);
  ASSERT(!found);
  /* GetConfigInfo: version, size, output room, port kind. */
  memset(&ci, 0, sizeof ci);
  ci.dwVersion = 3;
  ASSERT_EQ(xcv(f, L"IP_ERR", 0, L"GetConfigInfo", &ci, sizeof ci, &pd,
                sizeof pd, &needed),
            ERROR_INVALID_LEVEL);
  ci.dwVersion = 1;
  ASSERT_EQ(xcv(f, L"IP_ERR", 0, L"GetConfigInfo", &ci, sizeof ci - 1, &pd,
                sizeof pd, &needed),
            ERROR_INVALID_PARAMETER);
  ASSERT_EQ(xcv(f, L"IP_ERR", 0, L"GetConfigInfo", &ci, sizeof ci, &pd,
                sizeof pd, &needed),
            ERROR_FILE_NOT_FOUND);
  ASSERT_EQ(xcv(f, L"IP_ERR", 0, L"GetConfigInfo", &ci, sizeof ci, NULL,
                sizeof pd, &needed),
            ERROR_INVALID_PARAMETER);
  ASSERT_EQ(mt_add_file_port(f, L"PWF1:", f->dir), ERROR_SUCCESS);
  ASSERT_EQ(xcv(f, L"PWF1:", 0, L"GetConfigInfo", &ci, sizeof ci, &pd,
                sizeof pd, &needed),
            ERROR_NOT_SUPPORTED);
}

/* An LPR PORT_DATA_1 makes an ordinary lpd:// port; dwDoubleSpool is LPR
 * byte counting (the lpd default, so not written when on). */
MT_TEST(an_lpr_port_data_1_makes_an_lpd_port_with_byte_counting) {
  PWT_PORT_DATA_1 pd;
  DWORD needed = 0;
  int found = 0;
  port_data(&pd, L"LPR_1", PWT_PROTOCOL_LPR_TYPE, L"127.0.0.1", 0);
  wcscpy(pd.sztQueue, L"lp");
  pd.dwDoubleSpool = 1;
  ASSERT_EQ(xcv(f, PWM_TEST_MONITOR, ADMIN, L"AddPort", &pd, sizeof pd, NULL, 0,
                &needed),
            ERROR_SUCCESS);
  ASSERT_EQ(mt_enum_count(f, L"LPR_1", &found), 1);
  ASSERT(found);
  ASSERT(config_is(f, L"LPR_1", L"uri=lpd://127.0.0.1:515/lp\n"));
  port_data(&pd, L"LPR_2", PWT_PROTOCOL_LPR_TYPE, L"127.0.0.1", 5515);
  wcscpy(pd.sztQueue, L"raw");
  pd.dwDoubleSpool = 0;
  ASSERT_EQ(xcv(f, PWM_TEST_MONITOR, ADMIN, L"AddPort", &pd, sizeof pd, NULL, 0,
                &needed),
            ERROR_SUCCESS);
  ASSERT(config_is(f, L"LPR_2",
                   L"uri=lpd://127.0.0.1:5515/raw\nbytecount=false\n"));
}

MT_TEST(the_string_form_of_addport_keeps_working) {
  DWORD needed = 0;
  int found = 0;
  ASSERT_EQ(mt_add_port_config(f, L"PWS1:", L"uri=socket://127.0.0.1:9100\n"),
            ERROR_SUCCESS);
  ASSERT_EQ(mt_enum_count(f, L"PWS1:", &found), 1);
  ASSERT(found);
  BYTE in[64];
  DWORD cb = mt_strings(L"PWS1:", NULL, in, sizeof in);
  ASSERT_EQ(
      xcv(f, PWM_TEST_MONITOR, ADMIN, L"DeletePort", in, cb, NULL, 0, &needed),
      ERROR_SUCCESS);
}

TEST_MAIN(TEST_ENTRY(addport_with_port_data_1_makes_an_ordinary_socket_port),
          TEST_ENTRY(getconfiginfo_round_trips_and_configport_changes_the_port),
          TEST_ENTRY(deleteport_with_delete_port_data_1_removes_the_port),
          TEST_ENTRY(single_value_getters_answer_on_a_port_handle),
          TEST_ENTRY(every_documented_error),
          TEST_ENTRY(an_lpr_port_data_1_makes_an_lpd_port_with_byte_counting),
          TEST_ENTRY(the_string_form_of_addport_keeps_working))

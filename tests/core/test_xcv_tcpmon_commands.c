/* tcpmon-compatible Xcv commands through pw_xcv_data (docs/xcv.md,
 * "tcpmon-compatible commands"): AddPort / ConfigPort / DeletePort /
 * GetConfigInfo with the structures, the single-value getters, documented
 * errors that change nothing, and portway's string forms beside them. */
#include <stdlib.h>
#include <string.h>

#include "core/xcv_tcpmon.h"
#include "fixture.h"
#include "tcpmonvec.h"
#include "test.h"

/* ---- through pw_xcv_data ---- */

static int xcv(pw_handle h, const char *cmd, const uint8_t *in, size_t len,
               uint8_t *out, size_t out_len, size_t *needed) {
  uint8_t *copy = in ? exact(in, len) : NULL;
  int rc = pw_xcv_data(h, cmd, copy, len, out, out_len, needed);
  free(copy);
  return rc;
}

static const char *config_of(fixture *fx, const char *port) {
  static char text[512];
  char *t = NULL;
  text[0] = '\0';
  if (pw_monitor_get_port_config(fx->mon, port, &t) == PW_OK) {
    strncpy(text, t, sizeof text - 1);
    free(t);
  }
  return text;
}

TEST(add_config_get_and_delete_through_xcv) {
  SETUP(fx);
  pw_handle hm, hp;
  uint8_t b[964], out[1024];
  size_t needed = 7;
  int exists = 1;
  ASSERT_EQ(pw_xcv_open(fx.mon, "portway", PW_SERVER_ACCESS_ADMINISTER, &hm),
            PW_OK);
  pd1(b, "IP_127.0.0.1", 1, "127.0.0.1", "", "", 9100);
  ASSERT_EQ(xcv(hm, "AddPort", b, 964, NULL, 0, &needed), PW_OK);
  ASSERT_EQ(needed, 0);
  ASSERT_STREQ(config_of(&fx, "IP_127.0.0.1"), "uri=socket://127.0.0.1:9100\n");
  ASSERT_EQ(xcv(hm, "AddPort", b, 964, NULL, 0, &needed), PW_EEXIST);

  ASSERT_EQ(
      pw_xcv_open(fx.mon, "IP_127.0.0.1", PW_SERVER_ACCESS_ADMINISTER, &hp),
      PW_OK);
  uint8_t ci[132];
  cid1(ci);
  ASSERT_EQ(xcv(hp, "GetConfigInfo", ci, 132, NULL, 0, &needed), PW_ENOBUFS);
  ASSERT_EQ(needed, 964);
  ASSERT_EQ(xcv(hp, "GetConfigInfo", ci, 132, out, 963, &needed), PW_ENOBUFS);
  ASSERT_EQ(xcv(hp, "GetConfigInfo", ci, 132, out, sizeof out, &needed), PW_OK);
  ASSERT_EQ(needed, 964);
  ASSERT(field_is(out, 0, "IP_127.0.0.1"));
  ASSERT(field_is(out, 144, "127.0.0.1"));
  ASSERT_EQ(get32(out, 952), 9100);

  /* ConfigPort with what GetConfigInfo gave, the port number changed; the
   * port's own options (here timeout) are kept. */
  ASSERT_EQ(pw_monitor_set_port(fx.mon, "IP_127.0.0.1",
                                "uri=socket://127.0.0.1:9100\ntimeout=120\n",
                                NULL, 0),
            PW_OK);
  put32(out, 952, 9101);
  ASSERT_EQ(xcv(hp, "ConfigPort", out, 964, NULL, 0, &needed), PW_OK);
  ASSERT_STREQ(config_of(&fx, "IP_127.0.0.1"),
               "uri=socket://127.0.0.1:9101\ntimeout=120\n");
  /* sztPortName "" means the handle's port. */
  put16(out, 0, "");
  put32(out, 952, 9102);
  ASSERT_EQ(xcv(hp, "ConfigPort", out, 964, NULL, 0, &needed), PW_OK);
  ASSERT_STREQ(config_of(&fx, "IP_127.0.0.1"),
               "uri=socket://127.0.0.1:9102\ntimeout=120\n");
  /* Unknown port: not found. */
  pd1(b, "NOPE", 1, "h", "", "", 0);
  ASSERT_EQ(xcv(hm, "ConfigPort", b, 964, NULL, 0, &needed), PW_ENOENT);

  uint8_t d[236];
  dpd1(d, "IP_127.0.0.1");
  ASSERT_EQ(xcv(hm, "DeletePort", d, 236, NULL, 0, &needed), PW_OK);
  ASSERT_EQ(pw_monitor_port_exists(fx.mon, "IP_127.0.0.1", &exists), PW_OK);
  ASSERT_EQ(exists, 0);
  ASSERT_EQ(xcv(hm, "DeletePort", d, 236, NULL, 0, &needed), PW_ENOENT);
  ASSERT_EQ(pw_xcv_close(hp), PW_OK);
  ASSERT_EQ(pw_xcv_close(hm), PW_OK);
  fixture_teardown(&fx);
}

TEST(single_value_getters_on_a_port_handle) {
  SETUP(fx);
  pw_handle hm, hp;
  uint8_t out[256];
  size_t needed = 0;
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "P1:", "uri=socket://10.9.8.7:9100\n",
                                NULL, 0),
            PW_OK);
  ASSERT_EQ(
      pw_monitor_add_port(fx.mon, "P2:", "uri=socket://printer.lan\n", NULL, 0),
      PW_OK);
  ASSERT_EQ(pw_xcv_open(fx.mon, "P1:", 0, &hp), PW_OK);
  ASSERT_EQ(xcv(hp, "HostAddress", NULL, 0, NULL, 0, &needed), PW_ENOBUFS);
  ASSERT_EQ(needed, sizeof "10.9.8.7" * 2);
  ASSERT_EQ(xcv(hp, "HostAddress", NULL, 0, out, needed, &needed), PW_OK);
  ASSERT(field_is(out, 0, "10.9.8.7"));
  ASSERT_EQ(xcv(hp, "IPAddress", NULL, 0, out, sizeof out, &needed), PW_OK);
  ASSERT(field_is(out, 0, "10.9.8.7"));
  ASSERT_EQ(xcv(hp, "SNMPCommunity", NULL, 0, out, sizeof out, &needed), PW_OK);
  ASSERT_EQ(needed, 2);
  ASSERT(field_is(out, 0, ""));
  memset(out, 0xFF, 4);
  ASSERT_EQ(xcv(hp, "SNMPEnabled", NULL, 0, out, 3, &needed), PW_ENOBUFS);
  ASSERT_EQ(needed, 4);
  ASSERT_EQ(xcv(hp, "SNMPEnabled", NULL, 0, out, 4, &needed), PW_OK);
  ASSERT_EQ(get32(out, 0), 0);
  memset(out, 0xFF, 4);
  ASSERT_EQ(xcv(hp, "SNMPDeviceIndex", NULL, 0, out, 4, &needed), PW_OK);
  ASSERT_EQ(get32(out, 0), 0);
  ASSERT_EQ(pw_xcv_close(hp), PW_OK);
  ASSERT_EQ(pw_xcv_open(fx.mon, "P2:", 0, &hp), PW_OK);
  ASSERT_EQ(xcv(hp, "HostAddress", NULL, 0, out, sizeof out, &needed), PW_OK);
  ASSERT(field_is(out, 0, "printer.lan"));
  ASSERT_EQ(xcv(hp, "IPAddress", NULL, 0, out, sizeof out, &needed), PW_OK);
  ASSERT(field_is(out, 0, "")); /* a name has no IP address to show */
  ASSERT_EQ(pw_xcv_close(hp), PW_OK);
  /* A ,XcvMonitor handle names no port: not found, as DeletePort "". */
  uint8_t ci[132];
  cid1(ci);
  ASSERT_EQ(pw_xcv_open(fx.mon, NULL, 0, &hm), PW_OK);
  ASSERT_EQ(xcv(hm, "HostAddress", NULL, 0, out, sizeof out, &needed),
            PW_ENOENT);
  ASSERT_EQ(xcv(hm, "GetConfigInfo", ci, 132, out, sizeof out, &needed),
            PW_ENOENT);
  ASSERT_EQ(pw_xcv_close(hm), PW_OK);
  ASSERT_EQ(pw_xcv_open(fx.mon, "portway", 0, &hm), PW_OK);
  ASSERT_EQ(xcv(hm, "SNMPEnabled", NULL, 0, out, sizeof out, &needed),
            PW_ENOENT);
  ASSERT_EQ(pw_xcv_close(hm), PW_OK);
  fixture_teardown(&fx);
}

TEST(file_ports_and_unknown_ports_have_no_port_data) {
  SETUP(fx);
  pw_handle h;
  uint8_t out[1024], ci[132];
  size_t needed = 0;
  cid1(ci);
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "F1:", NULL, NULL, 0), PW_OK);
  ASSERT_EQ(pw_xcv_open(fx.mon, "F1:", 0, &h), PW_OK);
  ASSERT_EQ(xcv(h, "GetConfigInfo", ci, 132, out, sizeof out, &needed),
            PW_ENOTSUP);
  ASSERT_EQ(xcv(h, "SNMPEnabled", NULL, 0, out, sizeof out, &needed),
            PW_ENOTSUP);
  ASSERT_EQ(pw_xcv_close(h), PW_OK);
  ASSERT_EQ(pw_xcv_open(fx.mon, "GONE:", 0, &h), PW_OK);
  ASSERT_EQ(xcv(h, "GetConfigInfo", ci, 132, out, sizeof out, &needed),
            PW_ENOENT);
  ASSERT_EQ(pw_xcv_close(h), PW_OK);
  fixture_teardown(&fx);
}

TEST(documented_errors_through_xcv_change_nothing) {
  SETUP(fx);
  pw_handle h, hro;
  uint8_t b[964], ci[132], out[1024];
  size_t needed = 0;
  int exists = 1;
  ASSERT_EQ(pw_xcv_open(fx.mon, NULL, PW_SERVER_ACCESS_ADMINISTER, &h), PW_OK);
  ASSERT_EQ(pw_xcv_open(fx.mon, NULL, 0, &hro), PW_OK);
  pd1(b, "T1", 1, "127.0.0.1", "", "", 9100);
  ASSERT_EQ(xcv(hro, "AddPort", b, 964, NULL, 0, &needed), PW_EACCES);
  ASSERT_EQ(xcv(hro, "ConfigPort", b, 964, NULL, 0, &needed), PW_EACCES);
  ASSERT_EQ(xcv(h, "ConfigPort", NULL, 0, NULL, 0, &needed), PW_EBADDATA);
  ASSERT_EQ(xcv(h, "ConfigPort", b, 963, NULL, 0, &needed), PW_EINVAL);
  put32(b, 128, 2);
  ASSERT_EQ(xcv(h, "AddPort", b, 964, NULL, 0, &needed), PW_ELEVEL);
  ASSERT_EQ(xcv(h, "ConfigPort", b, 964, NULL, 0, &needed), PW_ELEVEL);
  put32(b, 128, 1);
  put32(b, 136, 960);
  ASSERT_EQ(xcv(h, "AddPort", b, 964, NULL, 0, &needed), PW_EINVAL);
  put32(b, 136, 964);
  ASSERT_EQ(xcv(h, "AddPort", b, 900, NULL, 0, &needed), PW_EINVAL);
  fill_field(b, 144, 49);
  ASSERT_EQ(xcv(h, "AddPort", b, 964, NULL, 0, &needed), PW_EBADDATA);
  /* A host the configuration parser refuses: invalid data too. */
  pd1(b, "T1", 1, "h\nuri=file:///C:/x", "", "", 9100);
  ASSERT_EQ(xcv(h, "AddPort", b, 964, NULL, 0, &needed), PW_EBADCONFIG);
  pd1(b, "bad,name", 1, "h", "", "", 9100);
  ASSERT_EQ(xcv(h, "AddPort", b, 964, NULL, 0, &needed), PW_EBADNAME);
  ASSERT_EQ(pw_monitor_port_exists(fx.mon, "T1", &exists), PW_OK);
  ASSERT_EQ(exists, 0);
  cid1(ci);
  put32(ci, 128, 2);
  ASSERT_EQ(xcv(h, "GetConfigInfo", ci, 132, out, sizeof out, &needed),
            PW_ELEVEL);
  ASSERT_EQ(xcv(h, "GetConfigInfo", NULL, 0, out, sizeof out, &needed),
            PW_EBADDATA);
  ASSERT_EQ(xcv(h, "GetConfigInfo", ci, 100, out, sizeof out, &needed),
            PW_EINVAL);
  uint8_t d[236];
  dpd1(d, "T1");
  put32(d, 228, 0);
  ASSERT_EQ(xcv(h, "DeletePort", d, 236, NULL, 0, &needed), PW_ELEVEL);
  ASSERT_EQ(xcv(hro, "DeletePort", d, 236, NULL, 0, &needed), PW_EACCES);
  ASSERT_EQ(pw_xcv_close(hro), PW_OK);
  ASSERT_EQ(pw_xcv_close(h), PW_OK);
  fixture_teardown(&fx);
}

TEST(lpr_add_port_makes_an_lpd_port_whose_bytecount_is_double_spool) {
  SETUP(fx);
  pw_handle h, hp;
  uint8_t b[964], ci[132], out[964];
  size_t needed = 0;
  int exists = 0;
  ASSERT_EQ(pw_xcv_open(fx.mon, NULL, PW_SERVER_ACCESS_ADMINISTER, &h), PW_OK);
  pd1(b, "LPR1", 2, "127.0.0.1", "", "lp", 0);
  ASSERT_EQ(xcv(h, "AddPort", b, 964, NULL, 0, &needed), PW_OK);
  ASSERT_EQ(pw_monitor_port_exists(fx.mon, "LPR1", &exists), PW_OK);
  ASSERT_EQ(exists, 1);
  ASSERT_EQ(pw_xcv_close(h), PW_OK);
  ASSERT_STREQ(config_of(&fx, "LPR1"),
               "uri=lpd://127.0.0.1:515/lp\nbytecount=false\n");
  ASSERT_EQ(pw_xcv_open(fx.mon, "LPR1", PW_SERVER_ACCESS_ADMINISTER, &hp),
            PW_OK);
  put32(b, 308, 1); /* byte counting on: the lpd default, no line */
  ASSERT_EQ(xcv(hp, "ConfigPort", b, 964, NULL, 0, &needed), PW_OK);
  ASSERT_STREQ(config_of(&fx, "LPR1"), "uri=lpd://127.0.0.1:515/lp\n");
  cid1(ci);
  ASSERT_EQ(xcv(hp, "GetConfigInfo", ci, 132, out, sizeof out, &needed), PW_OK);
  ASSERT_EQ(get32(out, 132), 2);
  ASSERT_EQ(get32(out, 308), 1);
  ASSERT(field_is(out, 312, "lp"));
  ASSERT_EQ(pw_xcv_close(hp), PW_OK);
  fixture_teardown(&fx);
}

TEST(string_forms_keep_working_beside_the_structures) {
  SETUP(fx);
  pw_handle h;
  uint8_t b[2048];
  char cfg[600];
  size_t needed = 0;
  ASSERT_EQ(pw_xcv_open(fx.mon, NULL, PW_SERVER_ACCESS_ADMINISTER, &h), PW_OK);
  /* Exactly 964 bytes of string form: still a string form. */
  memset(cfg, 0, sizeof cfg);
  strcpy(cfg, "uri=socket://127.0.0.1:9100\n#");
  memset(cfg + strlen(cfg), 'x', 476 - strlen(cfg));
  ASSERT_EQ(w16(b, "PW1:", cfg), 964);
  ASSERT_EQ(xcv(h, "AddPort", b, 964, NULL, 0, &needed), PW_OK);
  ASSERT_STREQ(config_of(&fx, "PW1:"), "uri=socket://127.0.0.1:9100\n");
  ASSERT_EQ(xcv(h, "DeletePort", b, w16(b, "PW1:", NULL), NULL, 0, &needed),
            PW_OK);
  ASSERT_EQ(pw_xcv_close(h), PW_OK);
  fixture_teardown(&fx);
}

TEST_MAIN(
    TEST_ENTRY(add_config_get_and_delete_through_xcv),
    TEST_ENTRY(single_value_getters_on_a_port_handle),
    TEST_ENTRY(file_ports_and_unknown_ports_have_no_port_data),
    TEST_ENTRY(documented_errors_through_xcv_change_nothing),
    TEST_ENTRY(lpr_add_port_makes_an_lpd_port_whose_bytecount_is_double_spool),
    TEST_ENTRY(string_forms_keep_working_beside_the_structures))

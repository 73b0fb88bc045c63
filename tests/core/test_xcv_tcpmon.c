/* tcpmon-compatible Xcv (docs/xcv.md, "tcpmon-compatible commands";
 * monitor-api.md section 6): PORT_DATA_1 (964 bytes), DELETE_PORT_DATA_1
 * (236) and CONFIG_INFO_DATA_1 (132) built by hand at the documented byte
 * offsets, decoded, mapped to portway URIs, and driven through pw_xcv_data. */
#include <stdlib.h>
#include <string.h>

#include "core/xcv_tcpmon.h"
#include "fixture.h"
#include "test.h"

#define SETUP(fx)                                                              \
  fixture fx;                                                                  \
  ASSERT_EQ(fixture_setup(&fx, "xcvtcp"), 0)

/* ---- hand-built vectors: offsets written out, not taken from the .h ---- */

static void put32(uint8_t *b, size_t off, uint32_t v) {
  b[off] = (uint8_t)v;
  b[off + 1] = (uint8_t)(v >> 8);
  b[off + 2] = (uint8_t)(v >> 16);
  b[off + 3] = (uint8_t)(v >> 24);
}

static uint32_t get32(const uint8_t *b, size_t off) {
  return (uint32_t)b[off] | (uint32_t)b[off + 1] << 8 |
         (uint32_t)b[off + 2] << 16 | (uint32_t)b[off + 3] << 24;
}

/* ASCII as UTF-16LE at off, followed by a NUL unit. */
static void put16(uint8_t *b, size_t off, const char *s) {
  for (; *s; s++, off += 2) {
    b[off] = (uint8_t)*s;
    b[off + 1] = 0;
  }
  b[off] = b[off + 1] = 0;
}

/* Compare a UTF-16LE field with ASCII text (terminator included). */
static int field_is(const uint8_t *b, size_t off, const char *s) {
  for (;; s++, off += 2) {
    if (b[off] != (uint8_t)*s || b[off + 1] != 0)
      return 0;
    if (!*s)
      return 1;
  }
}

/* PORT_DATA_1: name@0[64], dwVersion@128, dwProtocol@132, cbSize@136,
 * dwReserved@140, sztHostAddress@144[49], sztSNMPCommunity@242[33],
 * dwDoubleSpool@308, sztQueue@312[33], sztIPAddress@378[16],
 * Reserved@410[540], dwPortNumber@952, dwSNMPEnabled@956,
 * dwSNMPDevIndex@960; 964 bytes. */
static void pd1(uint8_t b[964], const char *name, uint32_t proto,
                const char *host, const char *ip, const char *queue,
                uint32_t port) {
  memset(b, 0, 964);
  put16(b, 0, name);
  put32(b, 128, 1);
  put32(b, 132, proto);
  put32(b, 136, 964);
  put16(b, 144, host);
  put16(b, 242, "public");
  put16(b, 312, queue);
  put16(b, 378, ip);
  put32(b, 952, port);
  put32(b, 956, 1);
  put32(b, 960, 1);
}

/* DELETE_PORT_DATA_1: name@0[64], Reserved@128[98], dwVersion@228,
 * dwReserved@232; 236 bytes. */
static void dpd1(uint8_t b[236], const char *name) {
  memset(b, 0, 236);
  put16(b, 0, name);
  put32(b, 228, 1);
}

/* CONFIG_INFO_DATA_1: Reserved@0[128], dwVersion@128; 132 bytes. */
static void cid1(uint8_t b[132]) {
  memset(b, 0, 132);
  put32(b, 128, 1);
}

/* Exact-size heap copy, so ASan reports any read past len. */
static uint8_t *exact(const uint8_t *b, size_t len) {
  uint8_t *p = malloc(len ? len : 1);
  if (p && len)
    memcpy(p, b, len);
  return p;
}

static int decode_text(const uint8_t *b, size_t len, char **text) {
  pw_tcpmon_port p;
  uint8_t *in = exact(b, len);
  int rc = pw_tcpmon_port_decode(in, len, &p);
  free(in);
  if (rc != PW_OK)
    return rc;
  rc = pw_tcpmon_port_config_text(&p, text);
  pw_tcpmon_port_free(&p);
  return rc;
}

/* ---- decoding PORT_DATA_1 ---- */

TEST(raw_port_data_maps_to_a_socket_uri) {
  uint8_t b[964];
  char *text = NULL;
  pd1(b, "IP_127.0.0.1", 1, "127.0.0.1", "", "", 9100);
  ASSERT_EQ(decode_text(b, sizeof b, &text), PW_OK);
  ASSERT_STREQ(text, "uri=socket://127.0.0.1:9100\n");
  free(text);
  pd1(b, "P", 1, "printer.lan", "", "", 0); /* 0: the default, 9100 */
  ASSERT_EQ(decode_text(b, sizeof b, &text), PW_OK);
  ASSERT_STREQ(text, "uri=socket://printer.lan:9100\n");
  free(text);
  pd1(b, "P", 1, "::1", "", "", 9101); /* IPv6 literal gets brackets */
  ASSERT_EQ(decode_text(b, sizeof b, &text), PW_OK);
  ASSERT_STREQ(text, "uri=socket://[::1]:9101\n");
  free(text);
}

TEST(lpr_port_data_maps_to_an_lpd_uri_with_its_queue) {
  uint8_t b[964];
  char *text = NULL;
  pd1(b, "P", 2, "printer.lan", "", "lp", 0);
  ASSERT_EQ(decode_text(b, sizeof b, &text), PW_OK);
  ASSERT_STREQ(text, "uri=lpd://printer.lan:515/lp\nbytecount=false\n");
  free(text);
  pd1(b, "P", 2, "10.0.0.7", "", "raw queue", 1515);
  ASSERT_EQ(decode_text(b, sizeof b, &text), PW_OK);
  ASSERT_STREQ(text, "uri=lpd://10.0.0.7:1515/raw%20queue\nbytecount=false\n");
  free(text);
  pd1(b, "P", 2, "h", "", "", 0); /* LPR needs a queue */
  ASSERT_EQ(decode_text(b, sizeof b, &text), PW_EBADDATA);
}

TEST(host_address_wins_and_ip_address_is_the_fallback) {
  uint8_t b[964];
  char *text = NULL;
  pd1(b, "P", 1, "name.lan", "10.1.2.3", "", 9100);
  ASSERT_EQ(decode_text(b, sizeof b, &text), PW_OK);
  ASSERT_STREQ(text, "uri=socket://name.lan:9100\n");
  free(text);
  pd1(b, "P", 1, "", "10.1.2.3", "", 9100);
  ASSERT_EQ(decode_text(b, sizeof b, &text), PW_OK);
  ASSERT_STREQ(text, "uri=socket://10.1.2.3:9100\n");
  free(text);
  pd1(b, "P", 1, "", "", "", 9100);
  ASSERT_EQ(decode_text(b, sizeof b, &text), PW_EBADDATA);
}

TEST(bad_field_values_are_invalid_data) {
  uint8_t b[964];
  char *text = NULL;
  pd1(b, "P", 0, "h", "", "", 9100); /* PROTOCOL_UNKNOWN_TYPE */
  ASSERT_EQ(decode_text(b, sizeof b, &text), PW_EBADDATA);
  pd1(b, "P", 3, "h", "", "", 9100);
  ASSERT_EQ(decode_text(b, sizeof b, &text), PW_EBADDATA);
  pd1(b, "P", 1, "h", "", "", 65536);
  ASSERT_EQ(decode_text(b, sizeof b, &text), PW_EBADDATA);
  pd1(b, "P", 1, "h", "", "", 0xFFFFFFFFu);
  ASSERT_EQ(decode_text(b, sizeof b, &text), PW_EBADDATA);
  pd1(b, "P", 1, "h", "", "", 65535);
  ASSERT_EQ(decode_text(b, sizeof b, &text), PW_OK);
  ASSERT_STREQ(text, "uri=socket://h:65535\n");
  free(text);
}

TEST(host_text_cannot_inject_config_lines_or_uri_parts) {
  uint8_t b[964];
  char *text = NULL;
  pd1(b, "P", 1, "h\nuri=file:///C:/x", "", "", 9100);
  ASSERT_EQ(decode_text(b, sizeof b, &text), PW_OK);
  /* One line only: the newline is percent-encoded, and the parser then
   * rejects the host (see the Xcv test below). */
  ASSERT(strchr(text, '\n') == text + strlen(text) - 1);
  free(text);
  pd1(b, "P", 2, "h", "", "q?x=1#y", 0);
  ASSERT_EQ(decode_text(b, sizeof b, &text), PW_OK);
  ASSERT_STREQ(text, "uri=lpd://h:515/q%3Fx=1%23y\nbytecount=false\n");
  free(text);
}

TEST(header_errors_follow_the_documented_order) {
  uint8_t b[1024] = {0};
  char *text = NULL;
  pw_tcpmon_port p;
  ASSERT_EQ(pw_tcpmon_port_decode(NULL, 0, &p), PW_EBADDATA);
  ASSERT_EQ(pw_tcpmon_port_decode(NULL, 964, &p), PW_EBADDATA);
  pd1(b, "P", 1, "h", "", "", 9100);
  ASSERT_EQ(decode_text(b, 0, &text), PW_EBADDATA);
  ASSERT_EQ(decode_text(b, 131, &text), PW_EINVAL); /* no whole dwVersion */
  ASSERT_EQ(decode_text(b, 963, &text), PW_EINVAL);
  ASSERT_EQ(decode_text(b, 965, &text), PW_EINVAL);
  put32(b, 128, 2);
  ASSERT_EQ(decode_text(b, 964, &text), PW_ELEVEL);
  ASSERT_EQ(decode_text(b, 900, &text), PW_ELEVEL); /* level before size */
  put32(b, 128, 0);
  ASSERT_EQ(decode_text(b, 964, &text), PW_ELEVEL);
  put32(b, 128, 1);
  put32(b, 136, 0); /* cbSize */
  ASSERT_EQ(decode_text(b, 964, &text), PW_EINVAL);
  put32(b, 136, 1068); /* sizeof(PORT_DATA_2) */
  ASSERT_EQ(decode_text(b, 964, &text), PW_EINVAL);
}

/* Fill a field's every unit with 'A': no NUL inside it. */
static void fill_field(uint8_t *b, size_t off, size_t units) {
  for (size_t i = 0; i < units; i++) {
    b[off + 2 * i] = 'A';
    b[off + 2 * i + 1] = 0;
  }
}

TEST(a_string_field_without_its_nul_is_invalid_data) {
  static const struct {
    size_t off, units;
  } fields[] = {{0, 64}, {144, 49}, {242, 33}, {312, 33}, {378, 16}};
  uint8_t b[964];
  char *text = NULL;
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
    pd1(b, "P", 1, "h", "", "", 9100);
    fill_field(b, fields[i].off, fields[i].units);
    ASSERT_EQ(decode_text(b, sizeof b, &text), PW_EBADDATA);
    /* One unit shorter, the field holds its NUL and decodes. */
    b[fields[i].off + 2 * (fields[i].units - 1)] = 0;
    ASSERT_EQ(decode_text(b, sizeof b, &text), PW_OK);
    free(text);
  }
  pd1(b, "P", 1, "h", "", "", 9100);
  b[144] = 0x00; /* unpaired high surrogate as the host's first unit */
  b[145] = 0xD8;
  ASSERT_EQ(decode_text(b, sizeof b, &text), PW_EBADDATA);
}

TEST(port_data_fields_decode_at_their_offsets) {
  uint8_t b[964];
  pw_tcpmon_port p;
  pd1(b, "IP_10.0.0.9", 2, "host.lan", "10.0.0.9", "q1", 1234);
  put32(b, 308, 1); /* dwDoubleSpool */
  ASSERT_EQ(pw_tcpmon_port_decode(b, sizeof b, &p), PW_OK);
  ASSERT_STREQ(p.name, "IP_10.0.0.9");
  ASSERT_EQ(p.protocol, 2);
  ASSERT_STREQ(p.host_address, "host.lan");
  ASSERT_STREQ(p.ip_address, "10.0.0.9");
  ASSERT_STREQ(p.queue, "q1");
  ASSERT_STREQ(p.snmp_community, "public");
  ASSERT_EQ(p.port_number, 1234);
  ASSERT_EQ(p.double_spool, 1);
  ASSERT_EQ(p.snmp_enabled, 1);
  ASSERT_EQ(p.snmp_dev_index, 1);
  pw_tcpmon_port_free(&p);
}

/* ---- DELETE_PORT_DATA_1, CONFIG_INFO_DATA_1 ---- */

TEST(delete_port_data_decodes_the_name_with_header_checks) {
  uint8_t b[236];
  char *name = NULL;
  dpd1(b, "IP_1");
  ASSERT_EQ(pw_tcpmon_delete_decode(b, sizeof b, &name), PW_OK);
  ASSERT_STREQ(name, "IP_1");
  free(name);
  ASSERT_EQ(pw_tcpmon_delete_decode(NULL, 0, &name), PW_EBADDATA);
  ASSERT_EQ(pw_tcpmon_delete_decode(b, 231, &name), PW_EINVAL);
  ASSERT_EQ(pw_tcpmon_delete_decode(b, 235, &name), PW_EINVAL);
  put32(b, 228, 2);
  ASSERT_EQ(pw_tcpmon_delete_decode(b, sizeof b, &name), PW_ELEVEL);
  dpd1(b, "x");
  fill_field(b, 0, 64);
  ASSERT_EQ(pw_tcpmon_delete_decode(b, sizeof b, &name), PW_EBADDATA);
}

TEST(config_info_data_checks_size_and_version_only) {
  uint8_t b[132];
  cid1(b);
  memset(b, 0xEE, 128); /* Reserved is ignored */
  ASSERT_EQ(pw_tcpmon_config_info_check(b, sizeof b), PW_OK);
  ASSERT_EQ(pw_tcpmon_config_info_check(NULL, 0), PW_EBADDATA);
  ASSERT_EQ(pw_tcpmon_config_info_check(b, 131), PW_EINVAL);
  put32(b, 128, 7);
  ASSERT_EQ(pw_tcpmon_config_info_check(b, sizeof b), PW_ELEVEL);
}

/* ---- encoding a port's configuration ---- */

static int view_of(const char *text, pw_tcpmon_port *v) {
  pw_port_config *cfg = NULL;
  int rc = pw_port_config_parse(text, &cfg, NULL, 0);
  if (rc == PW_OK)
    rc = pw_tcpmon_port_from_config("PW9:", cfg, v);
  pw_port_config_free(cfg);
  return rc;
}

TEST(a_socket_port_encodes_byte_exact_and_round_trips) {
  pw_tcpmon_port v;
  uint8_t out[964], zero[540] = {0};
  char *text = NULL;
  ASSERT_EQ(view_of("uri=socket://127.0.0.1:9100\n", &v), PW_OK);
  ASSERT_EQ(pw_tcpmon_port_encode(&v, out), PW_OK);
  pw_tcpmon_port_free(&v);
  ASSERT(field_is(out, 0, "PW9:"));
  ASSERT_EQ(get32(out, 128), 1);
  ASSERT_EQ(get32(out, 132), 1);
  ASSERT_EQ(get32(out, 136), 964);
  ASSERT_EQ(get32(out, 140), 0);
  ASSERT(field_is(out, 144, "127.0.0.1"));
  ASSERT(field_is(out, 242, ""));
  ASSERT_EQ(get32(out, 308), 0);
  ASSERT(field_is(out, 312, ""));
  ASSERT(field_is(out, 378, "127.0.0.1"));
  ASSERT(memcmp(out + 410, zero, 540) == 0);
  ASSERT_EQ(get32(out, 952), 9100);
  ASSERT_EQ(get32(out, 956), 0);
  ASSERT_EQ(get32(out, 960), 0);
  ASSERT_EQ(decode_text(out, sizeof out, &text), PW_OK);
  ASSERT_STREQ(text, "uri=socket://127.0.0.1:9100\n");
  free(text);
}

TEST(an_lpd_port_encodes_its_queue_and_a_host_name_has_no_ip_address) {
  pw_tcpmon_port v;
  uint8_t out[964];
  char *text = NULL;
  ASSERT_EQ(view_of("uri=lpd://printer.lan/lp1\n", &v), PW_OK);
  ASSERT_EQ(pw_tcpmon_port_encode(&v, out), PW_OK);
  pw_tcpmon_port_free(&v);
  ASSERT_EQ(get32(out, 132), 2);
  ASSERT(field_is(out, 144, "printer.lan"));
  ASSERT(field_is(out, 312, "lp1"));
  ASSERT(field_is(out, 378, ""));
  ASSERT_EQ(get32(out, 952), 515);
  ASSERT_EQ(get32(out, 308), 1); /* bytecount is the lpd default */
  ASSERT_EQ(decode_text(out, sizeof out, &text), PW_OK);
  ASSERT_STREQ(text, "uri=lpd://printer.lan:515/lp1\nbytecount=true\n");
  free(text);
}

TEST(ports_without_a_port_data_form_are_not_supported) {
  pw_tcpmon_port v;
  ASSERT_EQ(view_of("uri=lpd://h/q\nbytecount=false\n", &v), PW_OK);
  ASSERT_EQ(v.double_spool, 0);
  pw_tcpmon_port_free(&v);
  ASSERT_EQ(view_of("uri=file:///C:/out\n", &v), PW_ENOTSUP);
  /* 49 characters do not fit sztHostAddress[49] with its NUL. */
  ASSERT_EQ(
      view_of(
          "uri=socket://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
          &v),
      PW_ENOTSUP);
  ASSERT_EQ(
      view_of("uri=socket://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
              &v),
      PW_OK);
  pw_tcpmon_port_free(&v);
}

/* ---- telling the AddPort / DeletePort input forms apart ---- */

static size_t w16(uint8_t *buf, const char *a, const char *b) {
  size_t n = 0;
  put16(buf, 0, a);
  n = 2 * strlen(a) + 2;
  if (b) {
    put16(buf, n, b);
    n += 2 * strlen(b) + 2;
  }
  return n;
}

TEST(the_two_input_forms_are_told_apart_exactly) {
  uint8_t b[2048];
  char cfg[600];
  /* A 964-byte string-form AddPort stays a string form. */
  memset(cfg, 0, sizeof cfg);
  strcpy(cfg, "uri=socket://h:9100\n#");
  memset(cfg + strlen(cfg), 'x', 476 - strlen(cfg));
  ASSERT_EQ(w16(b, "PW1:", cfg), 964);
  ASSERT_EQ(pw_tcpmon_is_port_data(b, 964), 0);
  /* A PORT_DATA_1 is one, also with a wrong version or a wrong cbSize. */
  pd1(b, "P", 1, "h", "", "", 9100);
  ASSERT_EQ(pw_tcpmon_is_port_data(b, 964), 1);
  put32(b, 128, 2);
  ASSERT_EQ(pw_tcpmon_is_port_data(b, 964), 1);
  ASSERT_EQ(pw_tcpmon_is_port_data(b, 144), 1);
  ASSERT_EQ(pw_tcpmon_is_port_data(b, 143), 0);
  put32(b, 128, 1);
  put32(b, 136, 0);
  ASSERT_EQ(pw_tcpmon_is_port_data(b, 964), 1);
  put32(b, 128, 2);
  ASSERT_EQ(pw_tcpmon_is_port_data(b, 964), 0);
  ASSERT_EQ(pw_tcpmon_is_port_data(NULL, 964), 0);
  /* DeletePort: 232 bytes and more is the structure. */
  ASSERT_EQ(pw_tcpmon_is_delete_port_data(b, 231), 0);
  ASSERT_EQ(pw_tcpmon_is_delete_port_data(b, 232), 1);
}

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

TEST(lpr_add_port_is_an_lpd_port_or_cleanly_not_supported) {
  /* The lpd destination is landing separately: before it the monitor
   * answers PW_ENOTSUP for lpd:// and nothing is added; with it the port is
   * an ordinary lpd:// port, dwDoubleSpool being its bytecount option. */
  SETUP(fx);
  pw_handle h, hp;
  uint8_t b[964], ci[132], out[964];
  size_t needed = 0;
  int exists = 0;
  ASSERT_EQ(pw_xcv_open(fx.mon, NULL, PW_SERVER_ACCESS_ADMINISTER, &h), PW_OK);
  pd1(b, "LPR1", 2, "127.0.0.1", "", "lp", 0);
  int rc = xcv(h, "AddPort", b, 964, NULL, 0, &needed);
  ASSERT(rc == PW_OK || rc == PW_ENOTSUP);
  ASSERT_EQ(pw_monitor_port_exists(fx.mon, "LPR1", &exists), PW_OK);
  ASSERT_EQ(exists, rc == PW_OK);
  ASSERT_EQ(pw_xcv_close(h), PW_OK);
  if (rc == PW_OK) {
    ASSERT_STREQ(config_of(&fx, "LPR1"),
                 "uri=lpd://127.0.0.1:515/lp\nbytecount=false\n");
    ASSERT_EQ(pw_xcv_open(fx.mon, "LPR1", PW_SERVER_ACCESS_ADMINISTER, &hp),
              PW_OK);
    put32(b, 308, 1); /* byte counting on: the lpd default, no line */
    ASSERT_EQ(xcv(hp, "ConfigPort", b, 964, NULL, 0, &needed), PW_OK);
    ASSERT_STREQ(config_of(&fx, "LPR1"), "uri=lpd://127.0.0.1:515/lp\n");
    cid1(ci);
    ASSERT_EQ(xcv(hp, "GetConfigInfo", ci, 132, out, sizeof out, &needed),
              PW_OK);
    ASSERT_EQ(get32(out, 132), 2);
    ASSERT_EQ(get32(out, 308), 1);
    ASSERT(field_is(out, 312, "lp"));
    ASSERT_EQ(pw_xcv_close(hp), PW_OK);
  }
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
    TEST_ENTRY(raw_port_data_maps_to_a_socket_uri),
    TEST_ENTRY(lpr_port_data_maps_to_an_lpd_uri_with_its_queue),
    TEST_ENTRY(host_address_wins_and_ip_address_is_the_fallback),
    TEST_ENTRY(bad_field_values_are_invalid_data),
    TEST_ENTRY(host_text_cannot_inject_config_lines_or_uri_parts),
    TEST_ENTRY(header_errors_follow_the_documented_order),
    TEST_ENTRY(a_string_field_without_its_nul_is_invalid_data),
    TEST_ENTRY(port_data_fields_decode_at_their_offsets),
    TEST_ENTRY(delete_port_data_decodes_the_name_with_header_checks),
    TEST_ENTRY(config_info_data_checks_size_and_version_only),
    TEST_ENTRY(a_socket_port_encodes_byte_exact_and_round_trips),
    TEST_ENTRY(an_lpd_port_encodes_its_queue_and_a_host_name_has_no_ip_address),
    TEST_ENTRY(ports_without_a_port_data_form_are_not_supported),
    TEST_ENTRY(the_two_input_forms_are_told_apart_exactly),
    TEST_ENTRY(add_config_get_and_delete_through_xcv),
    TEST_ENTRY(single_value_getters_on_a_port_handle),
    TEST_ENTRY(file_ports_and_unknown_ports_have_no_port_data),
    TEST_ENTRY(documented_errors_through_xcv_change_nothing),
    TEST_ENTRY(lpr_add_port_is_an_lpd_port_or_cleanly_not_supported),
    TEST_ENTRY(string_forms_keep_working_beside_the_structures))

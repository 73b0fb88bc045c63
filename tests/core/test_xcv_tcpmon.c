/* tcpmon-compatible Xcv (docs/xcv.md, "tcpmon-compatible commands";
 * monitor-api.md section 6): PORT_DATA_1 (964 bytes), DELETE_PORT_DATA_1
 * (236) and CONFIG_INFO_DATA_1 (132) built by hand at the documented byte
 * offsets, decoded, mapped to portway URIs, and driven through pw_xcv_data. */
#include <stdlib.h>
#include <string.h>

#include "core/xcv_tcpmon.h"
#include "tcpmonvec.h"
#include "fixture.h"
#include "test.h"

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
  put32(b, 128, 3);
  ASSERT_EQ(pw_tcpmon_is_port_data(b, 964), 0);
  ASSERT_EQ(pw_tcpmon_is_port_data(NULL, 964), 0);
  /* A PORT_DATA_2 (version 2, cbSize 1068) is a structure too, to be
   * refused as one (ERROR_INVALID_LEVEL), not read as strings. */
  put32(b, 128, 2);
  ASSERT_EQ(pw_tcpmon_is_port_data(b, 964), 1);
  put32(b, 128, 3);
  put32(b, 136, 1068);
  ASSERT_EQ(pw_tcpmon_is_port_data(b, 964), 1);
  /* DeletePort: 232 bytes and more is the structure. */
  ASSERT_EQ(pw_tcpmon_is_delete_port_data(b, 231), 0);
  ASSERT_EQ(pw_tcpmon_is_delete_port_data(b, 232), 1);
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
    TEST_ENTRY(the_two_input_forms_are_told_apart_exactly))

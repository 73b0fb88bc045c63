/* Xcv commands: decoding, sizing, access checks (docs/xcv.md). */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "test.h"

#define SETUP(fx)                                                              \
  fixture fx;                                                                  \
  ASSERT_EQ(fixture_setup(&fx, "xcv"), 0)

/* Encode ASCII strings as consecutive NUL-terminated UTF-16LE strings. */
static size_t w16(uint8_t *buf, const char *a, const char *b) {
  size_t n = 0;
  for (const char *s = a; s; s = (s == a ? b : NULL)) {
    for (const char *p = s; *p; p++) {
      buf[n++] = (uint8_t)*p;
      buf[n++] = 0;
    }
    buf[n++] = 0;
    buf[n++] = 0;
  }
  return n;
}

/* Decode UTF-16LE output (ASCII only) for comparisons. */
static const char *a16(const uint8_t *buf, size_t len) {
  static char out[4096];
  size_t i = 0;
  for (; i + 1 < len && i / 2 < sizeof out - 1 && (buf[i] || buf[i + 1]);
       i += 2)
    out[i / 2] = (char)buf[i];
  out[i / 2] = '\0';
  return out;
}

static int xcv(pw_handle h, const char *cmd, const uint8_t *in, size_t in_len,
               uint8_t *out, size_t out_len, size_t *needed) {
  return pw_xcv_data(h, cmd, in, in_len, out, out_len, needed);
}

TEST(monitor_ui_reports_size_first_then_the_dll_name) {
  SETUP(fx);
  pw_handle h;
  uint8_t out[64];
  size_t needed = 0;
  ASSERT_EQ(pw_xcv_open(fx.mon, NULL, PW_SERVER_ACCESS_ADMINISTER, &h), PW_OK);
  ASSERT_EQ(xcv(h, "MonitorUI", NULL, 0, NULL, 0, &needed), PW_ENOBUFS);
  ASSERT_EQ(needed, sizeof "portwayui.dll" * 2);
  ASSERT_EQ(xcv(h, "MonitorUI", NULL, 0, out, needed - 1, &needed), PW_ENOBUFS);
  ASSERT_EQ(xcv(h, "MonitorUI", NULL, 0, out, needed, &needed), PW_OK);
  ASSERT_STREQ(a16(out, needed), "portwayui.dll");
  ASSERT_EQ(pw_xcv_close(h), PW_OK);
  fixture_teardown(&fx);
}

TEST(add_port_with_only_a_name_uses_the_default_destination) {
  SETUP(fx);
  pw_handle h;
  uint8_t in[256], out[4096];
  size_t needed;
  ASSERT_EQ(pw_xcv_open(fx.mon, "portway", PW_SERVER_ACCESS_ADMINISTER, &h),
            PW_OK);
  ASSERT_EQ(xcv(h, "AddPort", in, w16(in, "PW1:", NULL), NULL, 0, &needed),
            PW_OK);
  ASSERT_EQ(needed, 0);
  ASSERT_EQ(
      xcv(h, "GetConfig", in, w16(in, "PW1:", NULL), out, sizeof out, &needed),
      PW_OK);
  ASSERT(strstr(a16(out, needed), "/output\npattern=") != NULL);
  ASSERT_EQ(pw_xcv_close(h), PW_OK);
  fixture_teardown(&fx);
}

TEST(add_port_with_config_text_and_set_config_round_trip) {
  SETUP(fx);
  pw_handle h;
  uint8_t in[2048], out[4096];
  size_t needed;
  ASSERT_EQ(pw_xcv_open(fx.mon, NULL, PW_SERVER_ACCESS_ADMINISTER, &h), PW_OK);
  ASSERT_EQ(xcv(h, "AddPort", in,
                w16(in, "PW1:", fixture_file_config(&fx, "a-{n}.prn")), NULL, 0,
                &needed),
            PW_OK);
  ASSERT_EQ(xcv(h, "SetConfig", in,
                w16(in, "PW1:", fixture_file_config(&fx, "b-{n}.prn")), NULL, 0,
                &needed),
            PW_OK);
  ASSERT_EQ(xcv(h, "GetConfig", in, w16(in, "PW1:", NULL), NULL, 0, &needed),
            PW_ENOBUFS);
  ASSERT(needed > 0);
  ASSERT_EQ(
      xcv(h, "GetConfig", in, w16(in, "PW1:", NULL), out, needed, &needed),
      PW_OK);
  ASSERT_STREQ(a16(out, needed), fixture_file_config(&fx, "b-{n}.prn"));
  ASSERT_EQ(pw_xcv_close(h), PW_OK);
  fixture_teardown(&fx);
}

TEST(port_handle_commands_default_to_the_xcv_object) {
  SETUP(fx);
  pw_handle h;
  uint8_t in[2048], out[4096];
  size_t needed;
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "PW1:", NULL, NULL, 0), PW_OK);
  ASSERT_EQ(pw_xcv_open(fx.mon, "PW1:", PW_SERVER_ACCESS_ADMINISTER, &h),
            PW_OK);
  ASSERT_EQ(xcv(h, "GetConfig", NULL, 0, out, sizeof out, &needed), PW_OK);
  ASSERT_EQ(xcv(h, "SetConfig", in,
                w16(in, "", fixture_file_config(&fx, "c.prn")), NULL, 0,
                &needed),
            PW_OK);
  ASSERT_EQ(
      xcv(h, "GetConfig", in, w16(in, "", NULL), out, sizeof out, &needed),
      PW_OK);
  ASSERT(strstr(a16(out, needed), "pattern=c.prn") != NULL);
  ASSERT_EQ(pw_xcv_close(h), PW_OK);
  fixture_teardown(&fx);
}

TEST(duplicate_add_and_unknown_delete_give_documented_errors) {
  SETUP(fx);
  pw_handle h;
  uint8_t in[256];
  size_t needed;
  ASSERT_EQ(pw_xcv_open(fx.mon, NULL, PW_SERVER_ACCESS_ADMINISTER, &h), PW_OK);
  ASSERT_EQ(xcv(h, "AddPort", in, w16(in, "PW1:", NULL), NULL, 0, &needed),
            PW_OK);
  ASSERT_EQ(xcv(h, "AddPort", in, w16(in, "PW1:", NULL), NULL, 0, &needed),
            PW_EEXIST);
  ASSERT_EQ(xcv(h, "DeletePort", in, w16(in, "PW1:", NULL), NULL, 0, &needed),
            PW_OK);
  ASSERT_EQ(xcv(h, "DeletePort", in, w16(in, "PW1:", NULL), NULL, 0, &needed),
            PW_ENOENT);
  ASSERT_EQ(xcv(h, "AddPort", in, w16(in, "bad\\name", NULL), NULL, 0, &needed),
            PW_EBADNAME);
  ASSERT_EQ(pw_xcv_close(h), PW_OK);
  fixture_teardown(&fx);
}

TEST(port_exists_answers_a_dword_and_port_is_valid_checks_names) {
  SETUP(fx);
  pw_handle h;
  uint8_t in[256], out[8] = {9, 9, 9, 9};
  size_t needed;
  ASSERT_EQ(pw_xcv_open(fx.mon, NULL, 0, &h), PW_OK);
  ASSERT_EQ(xcv(h, "PortExists", in, w16(in, "PW1:", NULL), out, 2, &needed),
            PW_ENOBUFS);
  ASSERT_EQ(needed, 4);
  ASSERT_EQ(xcv(h, "PortExists", in, w16(in, "PW1:", NULL), out, 4, &needed),
            PW_OK);
  ASSERT_EQ(out[0] | out[1] | out[2] | out[3], 0);
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "PW1:", NULL, NULL, 0), PW_OK);
  ASSERT_EQ(xcv(h, "PortExists", in, w16(in, "pw1:", NULL), out, 4, &needed),
            PW_OK);
  ASSERT_EQ(out[0], 1);
  ASSERT_EQ(xcv(h, "PortIsValid", in, w16(in, "NEW:", NULL), NULL, 0, &needed),
            PW_OK);
  ASSERT_EQ(xcv(h, "PortIsValid", in, w16(in, "a/b", NULL), NULL, 0, &needed),
            PW_EBADNAME);
  ASSERT_EQ(pw_xcv_close(h), PW_OK);
  fixture_teardown(&fx);
}

TEST(mutating_commands_without_administer_are_denied_and_change_nothing) {
  SETUP(fx);
  pw_handle h;
  uint8_t in[2048];
  size_t needed;
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "KEEP:", NULL, NULL, 0), PW_OK);
  ASSERT_EQ(pw_xcv_open(fx.mon, NULL, 0x8 /* USE only */, &h), PW_OK);
  ASSERT_EQ(xcv(h, "AddPort", in, w16(in, "PW1:", NULL), NULL, 0, &needed),
            PW_EACCES);
  ASSERT_EQ(xcv(h, "DeletePort", in, w16(in, "KEEP:", NULL), NULL, 0, &needed),
            PW_EACCES);
  ASSERT_EQ(xcv(h, "SetConfig", in,
                w16(in, "KEEP:", fixture_file_config(&fx, NULL)), NULL, 0,
                &needed),
            PW_EACCES);
  ASSERT_EQ(xcv(h, "SetMonitorConfig", in, w16(in, "loglevel=debug", NULL),
                NULL, 0, &needed),
            PW_EACCES);
  ASSERT_EQ(fx.ms.nports, 1);
  ASSERT_EQ(fx.ms.writes, 1);
  ASSERT_EQ(pw_monitor_log_level(fx.mon), PW_LOG_INFO);
  ASSERT_EQ(pw_xcv_close(h), PW_OK);
  fixture_teardown(&fx);
}

TEST(malformed_input_is_invalid_data_and_never_read_past_its_end) {
  SETUP(fx);
  pw_handle h;
  uint8_t in[64];
  size_t needed;
  ASSERT_EQ(pw_xcv_open(fx.mon, NULL, PW_SERVER_ACCESS_ADMINISTER, &h), PW_OK);
  size_t n = w16(in, "PW1:", NULL);
  /* missing terminator */
  ASSERT_EQ(xcv(h, "AddPort", in, n - 2, NULL, 0, &needed), PW_EBADDATA);
  /* odd length */
  ASSERT_EQ(xcv(h, "AddPort", in, n - 1, NULL, 0, &needed), PW_EBADDATA);
  /* trailing garbage after the strings */
  in[n] = 'x';
  in[n + 1] = 0;
  ASSERT_EQ(xcv(h, "DeletePort", in, n + 2, NULL, 0, &needed), PW_EBADDATA);
  /* three strings where at most two are allowed */
  size_t m = w16(in, "A:", "uri=file:///tmp\n");
  memcpy(in + m, "B\0\0\0", 4);
  ASSERT_EQ(xcv(h, "AddPort", in, m + 4, NULL, 0, &needed), PW_EBADDATA);
  /* no input at all, NULL with a length, lone surrogate */
  ASSERT_EQ(xcv(h, "AddPort", NULL, 0, NULL, 0, &needed), PW_EBADDATA);
  ASSERT_EQ(xcv(h, "AddPort", NULL, 8, NULL, 0, &needed), PW_EBADDATA);
  uint8_t sur[] = {0x00, 0xD8, 0x41, 0x00, 0, 0};
  ASSERT_EQ(xcv(h, "AddPort", sur, sizeof sur, NULL, 0, &needed), PW_EBADDATA);
  /* config text that does not parse */
  m = w16(in, "A:", "nonsense");
  ASSERT_EQ(xcv(h, "AddPort", in, m, NULL, 0, &needed), PW_EBADCONFIG);
  ASSERT_EQ(fx.ms.nports, 0);
  ASSERT_EQ(pw_xcv_close(h), PW_OK);
  fixture_teardown(&fx);
}

TEST(unknown_command_and_bad_output_buffer_are_invalid_parameter) {
  SETUP(fx);
  pw_handle h;
  size_t needed = 77;
  ASSERT_EQ(pw_xcv_open(fx.mon, NULL, PW_SERVER_ACCESS_ADMINISTER, &h), PW_OK);
  ASSERT_EQ(xcv(h, "NoSuchCommand", NULL, 0, NULL, 0, &needed),
            PW_ENOTFOUNDCMD);
  ASSERT_EQ(needed, 0);
  ASSERT_EQ(xcv(h, "addport", NULL, 0, NULL, 0, &needed), PW_ENOTFOUNDCMD);
  ASSERT_EQ(xcv(h, NULL, NULL, 0, NULL, 0, &needed), PW_ENOTFOUNDCMD);
  ASSERT_EQ(xcv(h, "MonitorUI", NULL, 0, NULL, 100, &needed), PW_EINVAL);
  ASSERT_EQ(pw_xcv_close(h), PW_OK);
  fixture_teardown(&fx);
}

TEST(monitor_config_sets_the_log_level) {
  SETUP(fx);
  pw_handle h;
  uint8_t in[128], out[128];
  size_t needed;
  ASSERT_EQ(pw_xcv_open(fx.mon, NULL, PW_SERVER_ACCESS_ADMINISTER, &h), PW_OK);
  ASSERT_EQ(xcv(h, "SetMonitorConfig", in, w16(in, "loglevel=debug\n", NULL),
                NULL, 0, &needed),
            PW_OK);
  ASSERT_EQ(pw_monitor_log_level(fx.mon), PW_LOG_DEBUG);
  ASSERT_EQ(xcv(h, "GetMonitorConfig", NULL, 0, out, sizeof out, &needed),
            PW_OK);
  ASSERT_STREQ(a16(out, needed), "loglevel=debug\n");
  ASSERT_EQ(xcv(h, "SetMonitorConfig", in, w16(in, "loglevel=loud", NULL), NULL,
                0, &needed),
            PW_EBADCONFIG);
  ASSERT_EQ(pw_xcv_close(h), PW_OK);
  fixture_teardown(&fx);
}

TEST(xcv_handles_are_validated_like_port_handles) {
  SETUP(fx);
  pw_handle h, port;
  size_t needed;
  ASSERT_EQ(pw_xcv_open(fx.mon, NULL, 0, &h), PW_OK);
  ASSERT_EQ(pw_xcv_close(h), PW_OK);
  ASSERT_EQ(pw_xcv_close(h), PW_EBADHANDLE);
  ASSERT_EQ(xcv(h, "MonitorUI", NULL, 0, NULL, 0, &needed), PW_EBADHANDLE);
  ASSERT_EQ(pw_xcv_close(0), PW_EBADHANDLE);
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "PW1:", NULL, NULL, 0), PW_OK);
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &port), PW_OK);
  ASSERT_EQ(pw_xcv_close(port), PW_EBADHANDLE); /* wrong kind */
  ASSERT_EQ(pw_port_close(port), PW_OK);
  fixture_teardown(&fx);
}

TEST_MAIN(
    TEST_ENTRY(monitor_ui_reports_size_first_then_the_dll_name),
    TEST_ENTRY(add_port_with_only_a_name_uses_the_default_destination),
    TEST_ENTRY(add_port_with_config_text_and_set_config_round_trip),
    TEST_ENTRY(port_handle_commands_default_to_the_xcv_object),
    TEST_ENTRY(duplicate_add_and_unknown_delete_give_documented_errors),
    TEST_ENTRY(port_exists_answers_a_dword_and_port_is_valid_checks_names),
    TEST_ENTRY(
        mutating_commands_without_administer_are_denied_and_change_nothing),
    TEST_ENTRY(malformed_input_is_invalid_data_and_never_read_past_its_end),
    TEST_ENTRY(unknown_command_and_bad_output_buffer_are_invalid_parameter),
    TEST_ENTRY(monitor_config_sets_the_log_level),
    TEST_ENTRY(xcv_handles_are_validated_like_port_handles))

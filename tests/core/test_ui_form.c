/* The port form of portwayui.dll (src/core/ui_form.c): fields to
 * configuration text and back, field checks, the pattern preview. Every
 * text the form builds is also fed to the server's parser, so the form can
 * never send what the monitor refuses for a reason the form did not say. */
#include <stdlib.h>
#include <string.h>

#include "core/ui_form.h"
#include "portway/config.h"
#include "portway/error.h"
#include "test.h"

static char errbuf[256];
static pw_ui_form form, back;

/* Build, check the text, parse it with the server's parser and back into
 * a form; 0 on success. */
static int build_eq(const pw_ui_form *f, const char *want) {
  char *text = NULL;
  pw_ui_field field = PW_UI_F_EXTRA;
  CHECK_OR_RETURN(
      pw_ui_form_build(f, &text, &field, errbuf, sizeof errbuf) == PW_OK, 1);
  CHECK_OR_RETURN(field == PW_UI_F_NONE, 1);
  int same = strcmp(text, want) == 0;
  if (!same)
    fprintf(stderr, "  got:\n%s  want:\n%s", text, want);
  pw_port_config *cfg = NULL;
  int rc = pw_port_config_parse(text, &cfg, errbuf, sizeof errbuf);
  if (rc != PW_OK)
    fprintf(stderr, "  server refuses: %s\n", errbuf);
  pw_port_config_free(cfg);
  int prc = pw_ui_form_parse(text, &back, errbuf, sizeof errbuf);
  free(text);
  CHECK_OR_RETURN(same, 1);
  CHECK_OR_RETURN(rc == PW_OK, 1);
  CHECK_OR_RETURN(prc == PW_OK, 1);
  CHECK_OR_RETURN(back.type == f->type, 1);
  return 0;
}

TEST(file_form_builds_a_file_uri_and_pattern) {
  pw_ui_form_init(&form, PW_UI_FILE);
  strcpy(form.dir, "C:\\Print\\Out");
  strcpy(form.pattern, "{printer}-{job}.prn");
  ASSERT_EQ(build_eq(&form,
                     "uri=file:///C:/Print/Out\npattern={printer}-{job}.prn\n"),
            0);
  ASSERT_STREQ(back.dir, "C:\\Print\\Out");
  ASSERT_STREQ(back.pattern, "{printer}-{job}.prn");
}

TEST(file_form_encodes_spaces_and_keeps_utf8_and_unc) {
  pw_ui_form_init(&form, PW_UI_FILE);
  strcpy(form.dir, "C:\\My Scans\\B\xc3\xbcro\\");
  ASSERT_EQ(
      build_eq(
          &form,
          "uri=file:///C:/My%20Scans/B\xc3\xbcro\npattern=" PW_DEFAULT_PATTERN
          "\n"),
      0);
  ASSERT_STREQ(back.dir, "C:\\My Scans\\B\xc3\xbcro");
  strcpy(form.dir, "\\\\server\\share\\out");
  ASSERT_EQ(build_eq(&form,
                     "uri=file://server/share/out\npattern=" PW_DEFAULT_PATTERN
                     "\n"),
            0);
  ASSERT_STREQ(back.dir, "\\\\server\\share\\out");
}

TEST(file_form_refuses_relative_and_dotted_folders) {
  const char *bad[] = {
      "",           "Out",     "C:Out",    "C:\\a\\..\\b", "C:\\a\\.\\b",
      "\\\\server", "C:\\a|b", "C:\\a\nb", "C:\\a:b"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    pw_ui_form_init(&form, PW_UI_FILE);
    strcpy(form.dir, bad[i]);
    pw_ui_field field = PW_UI_F_NONE;
    errbuf[0] = '\0';
    ASSERT_EQ(pw_ui_form_validate(&form, &field, errbuf, sizeof errbuf),
              PW_EBADCONFIG);
    ASSERT_EQ(field, PW_UI_F_DIR);
    ASSERT(strncmp(errbuf, "The folder ", 11) == 0);
  }
}

TEST(file_form_refuses_a_bad_pattern_with_the_engines_reason) {
  pw_ui_form_init(&form, PW_UI_FILE);
  strcpy(form.pattern, "{nope}.prn");
  pw_ui_field field = PW_UI_F_NONE;
  char *text = (char *)"x";
  ASSERT_EQ(pw_ui_form_build(&form, &text, &field, errbuf, sizeof errbuf),
            PW_EBADCONFIG);
  ASSERT(text == NULL);
  ASSERT_EQ(field, PW_UI_F_PATTERN);
  ASSERT(strstr(errbuf, "The pattern is not valid: ") == errbuf);
  form.pattern[0] = '\0';
  ASSERT_EQ(pw_ui_form_validate(&form, &field, errbuf, sizeof errbuf),
            PW_EBADCONFIG);
  ASSERT_EQ(field, PW_UI_F_PATTERN);
}

TEST(program_form_builds_pipe_uri_args_and_output) {
  pw_ui_form_init(&form, PW_UI_PIPE);
  strcpy(form.program, "C:\\Program Files\\gs\\gswin64c.exe");
  strcpy(form.args, "-q -sDEVICE=pdfwrite \"-sOutputFile={output}\" -");
  strcpy(form.output, "C:\\PDF");
  ASSERT_EQ(build_eq(&form,
                     "uri=pipe:///C:/Program%20Files/gs/gswin64c.exe\n"
                     "args=-q -sDEVICE=pdfwrite \"-sOutputFile={output}\" -\n"
                     "output=file:///C:/PDF\n"),
            0);
  ASSERT_STREQ(back.program, "C:\\Program Files\\gs\\gswin64c.exe");
  ASSERT_STREQ(back.args, form.args);
  ASSERT_STREQ(back.output, "C:\\PDF");
  pw_ui_field field = PW_UI_F_NONE;
  strcpy(form.args, "a\nuri=file:///C:/x");
  ASSERT_EQ(pw_ui_form_validate(&form, &field, errbuf, sizeof errbuf),
            PW_EBADCONFIG);
  ASSERT_EQ(field, PW_UI_F_ARGS);
}

TEST(raw_form_builds_socket_uri_with_optional_port) {
  pw_ui_form_init(&form, PW_UI_RAW);
  strcpy(form.host, "127.0.0.1");
  ASSERT_EQ(build_eq(&form, "uri=socket://127.0.0.1\n"), 0);
  ASSERT_STREQ(back.host, "127.0.0.1");
  strcpy(form.portnum, "9101");
  ASSERT_EQ(build_eq(&form, "uri=socket://127.0.0.1:9101\n"), 0);
  ASSERT_STREQ(back.portnum, "9101");
  strcpy(form.host, "::1");
  ASSERT_EQ(build_eq(&form, "uri=socket://[::1]:9101\n"), 0);
  ASSERT_STREQ(back.host, "::1");
}

TEST(raw_form_refuses_bad_hosts_and_port_numbers) {
  const char *hosts[] = {"", "a b", "-x", "pr/inter", "[::1", "::g"};
  pw_ui_field field;
  for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++) {
    pw_ui_form_init(&form, PW_UI_RAW);
    strcpy(form.host, hosts[i]);
    ASSERT_EQ(pw_ui_form_validate(&form, &field, errbuf, sizeof errbuf),
              PW_EBADCONFIG);
    ASSERT_EQ(field, PW_UI_F_HOST);
  }
  const char *ports[] = {"0", "65536", "x", "-1", "99999999"};
  for (size_t i = 0; i < sizeof ports / sizeof ports[0]; i++) {
    pw_ui_form_init(&form, PW_UI_RAW);
    strcpy(form.host, "printer.example");
    strcpy(form.portnum, ports[i]);
    ASSERT_EQ(pw_ui_form_validate(&form, &field, errbuf, sizeof errbuf),
              PW_EBADCONFIG);
    ASSERT_EQ(field, PW_UI_F_PORTNUM);
    ASSERT_STREQ(errbuf, "The port number must be between 1 and 65535");
  }
}

TEST(lpr_form_builds_queue_and_byte_counting) {
  pw_ui_form_init(&form, PW_UI_LPR);
  strcpy(form.host, "printer.example");
  strcpy(form.queue, "raw%q");
  ASSERT_EQ(build_eq(&form, "uri=lpd://printer.example/raw%25q\n"), 0);
  ASSERT_STREQ(back.queue, "raw%q");
  ASSERT_EQ(back.bytecount, 1);
  form.bytecount = 0;
  ASSERT_EQ(build_eq(&form, "uri=lpd://printer.example/raw%25q\n"
                            "bytecount=false\n"),
            0);
  ASSERT_EQ(back.bytecount, 0);
  const char *bad[] = {"", "raw queue", "a/b",
                       "123456789012345678901234567890123"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    strcpy(form.queue, bad[i]);
    pw_ui_field field;
    ASSERT_EQ(pw_ui_form_validate(&form, &field, errbuf, sizeof errbuf),
              PW_EBADCONFIG);
    ASSERT_EQ(field, PW_UI_F_QUEUE);
  }
}

TEST(ipp_form_sends_the_url_as_typed) {
  pw_ui_form_init(&form, PW_UI_IPP);
  strcpy(form.url, "ipps://printer.example/ipp/print");
  ASSERT_EQ(build_eq(&form, "uri=ipps://printer.example/ipp/print\n"), 0);
  ASSERT_STREQ(back.url, form.url);
  const char *bad[] = {"", "http://x/", "ipp://", "ipp://a b/"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    strcpy(form.url, bad[i]);
    pw_ui_field field;
    ASSERT_EQ(pw_ui_form_validate(&form, &field, errbuf, sizeof errbuf),
              PW_EBADCONFIG);
    ASSERT_EQ(field, PW_UI_F_URL);
  }
}

TEST(parse_keeps_options_without_a_field_and_build_sends_them_back) {
  const char *text = "uri=socket://10.0.0.5:9100\r\nretries=3\r\n"
                     "timeout=20\r\n";
  ASSERT_EQ(pw_ui_form_parse(text, &form, errbuf, sizeof errbuf), PW_OK);
  ASSERT_EQ(form.type, PW_UI_RAW);
  ASSERT_STREQ(form.host, "10.0.0.5");
  ASSERT_STREQ(form.portnum, "9100");
  ASSERT_STREQ(form.extra, "retries=3\ntimeout=20\n");
  ASSERT_EQ(build_eq(&form, "uri=socket://10.0.0.5:9100\nretries=3\n"
                            "timeout=20\n"),
            0);
  /* A query parameter becomes its field. */
  ASSERT_EQ(pw_ui_form_parse("uri=file:///C:/out?pattern=a{n}.prn\n", &form,
                             errbuf, sizeof errbuf),
            PW_OK);
  ASSERT_STREQ(form.pattern, "a{n}.prn");
  ASSERT_STREQ(form.dir, "C:\\out");
}

TEST(parse_refuses_texts_without_a_form) {
  ASSERT_EQ(pw_ui_form_parse("pattern=x\n", &form, errbuf, sizeof errbuf),
            PW_EBADCONFIG);
  ASSERT_STREQ(errbuf, "the configuration has no uri= line");
  ASSERT_EQ(pw_ui_form_parse("uri=gopher://x/\n", &form, errbuf, sizeof errbuf),
            PW_EBADCONFIG);
  ASSERT(strstr(errbuf, "no form for 'gopher'"));
}

TEST(extra_lines_must_be_options_and_cannot_set_the_uri) {
  pw_ui_form_init(&form, PW_UI_RAW);
  strcpy(form.host, "h");
  strcpy(form.extra, "uri=file:///C:/x\n");
  pw_ui_field field;
  ASSERT_EQ(pw_ui_form_validate(&form, &field, errbuf, sizeof errbuf),
            PW_EBADCONFIG);
  ASSERT_EQ(field, PW_UI_F_EXTRA);
  strcpy(form.extra, "justtext\n");
  ASSERT_EQ(pw_ui_form_validate(&form, &field, errbuf, sizeof errbuf),
            PW_EBADCONFIG);
  strcpy(form.extra, "retries=2");
  ASSERT_EQ(build_eq(&form, "uri=socket://h\nretries=2\n"), 0);
}

TEST(preview_expands_a_sample_job) {
  const int when[6] = {2024, 3, 5, 14, 30, 9};
  char out[PW_MAX_FILENAME + 1];
  ASSERT_EQ(pw_ui_pattern_preview(PW_DEFAULT_PATTERN, "PW1:", when, out,
                                  sizeof out, errbuf, sizeof errbuf),
            PW_OK);
  ASSERT_STREQ(out, "20240305-143009-job42-Quarterly report.prn");
  ASSERT_EQ(pw_ui_pattern_preview("{port}-{user}-{n}.ps", "PW1:", when, out,
                                  sizeof out, errbuf, sizeof errbuf),
            PW_OK);
  ASSERT_STREQ(out, "PW1_-alice-1.ps");
  ASSERT_EQ(pw_ui_pattern_preview("a/{doc}", NULL, when, out, sizeof out,
                                  errbuf, sizeof errbuf),
            PW_EBADCONFIG);
  ASSERT_STREQ(out, "");
  ASSERT_EQ(pw_ui_pattern_preview("", NULL, when, out, sizeof out, errbuf,
                                  sizeof errbuf),
            PW_EBADCONFIG);
  char small[8];
  ASSERT_EQ(pw_ui_pattern_preview("x", NULL, when, small, sizeof small, errbuf,
                                  sizeof errbuf),
            PW_EINVAL);
}

TEST(port_names_get_a_reason_in_words) {
  ASSERT_EQ(pw_ui_check_port_name("PW1:", errbuf, sizeof errbuf), PW_OK);
  ASSERT_EQ(pw_ui_check_port_name("", errbuf, sizeof errbuf), PW_EBADNAME);
  ASSERT_STREQ(errbuf, "Enter a port name");
  ASSERT_EQ(pw_ui_check_port_name("a,b", errbuf, sizeof errbuf), PW_EBADNAME);
  ASSERT(strstr(errbuf, "cannot contain"));
  ASSERT_EQ(pw_ui_check_port_name(" a", errbuf, sizeof errbuf), PW_EBADNAME);
  ASSERT(strstr(errbuf, "space"));
  char longname[80];
  memset(longname, 'x', 70);
  longname[70] = '\0';
  ASSERT_EQ(pw_ui_check_port_name(longname, errbuf, sizeof errbuf),
            PW_EBADNAME);
  ASSERT(strstr(errbuf, "63"));
}

TEST(init_gives_each_type_its_defaults) {
  pw_ui_form_init(&form, PW_UI_LPR);
  ASSERT_EQ(form.bytecount, 1);
  ASSERT_STREQ(form.dir, PW_UI_DEFAULT_DIR);
  ASSERT_STREQ(form.pattern, PW_DEFAULT_PATTERN);
  pw_ui_form_init(&form, (pw_ui_type)99);
  ASSERT_EQ(form.type, PW_UI_FILE);
  ASSERT_STREQ(pw_ui_type_scheme(PW_UI_LPR), "lpd");
  ASSERT_STREQ(pw_ui_type_scheme((pw_ui_type)99), "");
  /* The default form is a valid port as it stands. */
  ASSERT_EQ(build_eq(&form, "uri=file:///C:/ProgramData/portway/output\n"
                            "pattern=" PW_DEFAULT_PATTERN "\n"),
            0);
}

TEST_MAIN(
    TEST_ENTRY(file_form_builds_a_file_uri_and_pattern),
    TEST_ENTRY(file_form_encodes_spaces_and_keeps_utf8_and_unc),
    TEST_ENTRY(file_form_refuses_relative_and_dotted_folders),
    TEST_ENTRY(file_form_refuses_a_bad_pattern_with_the_engines_reason),
    TEST_ENTRY(program_form_builds_pipe_uri_args_and_output),
    TEST_ENTRY(raw_form_builds_socket_uri_with_optional_port),
    TEST_ENTRY(raw_form_refuses_bad_hosts_and_port_numbers),
    TEST_ENTRY(lpr_form_builds_queue_and_byte_counting),
    TEST_ENTRY(ipp_form_sends_the_url_as_typed),
    TEST_ENTRY(parse_keeps_options_without_a_field_and_build_sends_them_back),
    TEST_ENTRY(parse_refuses_texts_without_a_form),
    TEST_ENTRY(extra_lines_must_be_options_and_cannot_set_the_uri),
    TEST_ENTRY(preview_expands_a_sample_job),
    TEST_ENTRY(port_names_get_a_reason_in_words),
    TEST_ENTRY(init_gives_each_type_its_defaults))

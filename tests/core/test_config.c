/* Port configuration text: lines, options, canonical format, defaults,
 * clone (portway/config.h). */
#include "config_check.h"

TEST(minimal_file_config_gets_defaults) {
  pw_port_config *cfg = parse_ok("uri=file:///C:/out");
  ASSERT(cfg != NULL);
  ASSERT_EQ(cfg->kind, PW_DEST_FILE);
  ASSERT_STREQ(cfg->uri, "file:///C:/out");
  const pw_file_options *file = pw_file_opts(cfg);
  ASSERT(file != NULL);
  ASSERT_STREQ(file->dir, "C:/out");
  ASSERT_STREQ(file->pattern, PW_DEFAULT_PATTERN);
  ASSERT_EQ(cfg->timeout_ms, 60000);
  ASSERT_EQ(cfg->connect_timeout_ms, 30000);
  pw_port_config_free(cfg);
}

TEST(comments_blank_lines_crlf_and_spaces_are_accepted) {
  pw_port_config *cfg = parse_ok("# portway port\r\n"
                                 "\r\n"
                                 "  URI = file:///C:/out  \r\n"
                                 "\t# indented comment\r\n"
                                 "Pattern\t=\tjob{job}.prn\r\n"
                                 "TIMEOUT=30");
  ASSERT(cfg != NULL && pw_file_opts(cfg) != NULL);
  ASSERT_STREQ(pw_file_opts(cfg)->dir, "C:/out");
  ASSERT_STREQ(pw_file_opts(cfg)->pattern, "job{job}.prn");
  ASSERT_EQ(cfg->timeout_ms, 30000);
  pw_port_config_free(cfg);
}

TEST(a_leading_utf8_bom_is_ignored) {
  pw_port_config *cfg = parse_ok("\xef\xbb\xbfuri=file:///tmp/out\n");
  ASSERT(cfg != NULL && pw_file_opts(cfg) != NULL);
  ASSERT_STREQ(pw_file_opts(cfg)->dir, "/tmp/out");
  pw_port_config_free(cfg);
}

TEST(missing_uri_is_rejected) {
  ASSERT(parse_fails("", PW_EBADCONFIG));
  ASSERT(parse_fails("# only a comment\n", PW_EBADCONFIG));
  ASSERT(parse_fails("pattern=x.prn\n", PW_EBADCONFIG));
  ASSERT_STREQ(errbuf, "missing 'uri'");
}

TEST(unknown_option_is_rejected_with_line_number) {
  ASSERT(parse_fails("uri=file:///C:/out\nfoo=1\n", PW_EBADCONFIG));
  ASSERT_STREQ(errbuf, "line 2: unknown option 'foo'");
}

TEST(duplicate_keys_are_rejected_in_any_case) {
  ASSERT(parse_fails("uri=file:///a\nURI=file:///b\n", PW_EBADCONFIG));
  ASSERT_STREQ(errbuf, "line 2: duplicate option 'uri'");
  ASSERT(parse_fails("uri=file:///a\npattern=a.prn\nPattern=b.prn\n",
                     PW_EBADCONFIG));
}

TEST(lines_without_equals_or_key_are_rejected) {
  ASSERT(parse_fails("uri=file:///a\njunk\n", PW_EBADCONFIG));
  ASSERT_STREQ(errbuf, "line 2: expected key=value");
  ASSERT(parse_fails("=file:///a\n", PW_EBADCONFIG));
}

TEST(control_characters_in_lines_are_rejected) {
  ASSERT(parse_fails("uri=file:///a\rpattern=x.prn\n", PW_EBADCONFIG));
  ASSERT(parse_fails("uri=file:///a\npattern=a\x01.prn\n", PW_EBADCONFIG));
  ASSERT(parse_fails("uri=file:///a\npattern=a\tb.prn\n", PW_EBADCONFIG));
  ASSERT(parse_fails("uri=file:///a\npattern=a\x7f.prn\n", PW_EBADCONFIG));
}

TEST(text_must_be_valid_utf8) {
  ASSERT(parse_fails("uri=file:///caf\xe9\n", PW_EBADCONFIG));
  ASSERT(parse_fails("uri=file:///a\n#\xc0\xaf\n", PW_EBADCONFIG));
}

TEST(text_longer_than_pw_max_config_text_is_rejected) {
  char *text = malloc(PW_MAX_CONFIG_TEXT + 2);
  ASSERT(text != NULL);
  const char *head = "uri=file:///C:/out\n";
  size_t hl = strlen(head);
  memcpy(text, head, hl);
  memset(text + hl, '#', PW_MAX_CONFIG_TEXT - hl);
  text[hl] = '\n';
  text[PW_MAX_CONFIG_TEXT] = '\0';
  pw_port_config *cfg = NULL;
  int rc = pw_port_config_parse(text, &cfg, NULL, 0);
  pw_port_config_free(cfg);
  text[PW_MAX_CONFIG_TEXT] = '#';
  text[PW_MAX_CONFIG_TEXT + 1] = '\0';
  int rejected = parse_fails(text, PW_EBADCONFIG);
  free(text);
  ASSERT_EQ(rc, PW_OK);
  ASSERT(rejected);
}

TEST(errbuf_may_be_null_or_tiny) {
  pw_port_config *cfg = NULL;
  ASSERT_EQ(pw_port_config_parse("bogus", &cfg, NULL, 0), PW_EBADCONFIG);
  char tiny[4];
  ASSERT_EQ(pw_port_config_parse("bogus", &cfg, tiny, sizeof tiny),
            PW_EBADCONFIG);
  ASSERT_EQ(strlen(tiny), 3);
  ASSERT(cfg == NULL);
}

TEST(null_arguments_are_invalid) {
  pw_port_config *cfg = NULL;
  ASSERT_EQ(pw_port_config_parse(NULL, &cfg, NULL, 0), PW_EINVAL);
  ASSERT_EQ(pw_port_config_parse("uri=file:///a", NULL, NULL, 0), PW_EINVAL);
  char *text = NULL;
  ASSERT_EQ(pw_port_config_format(NULL, &text), PW_EINVAL);
  ASSERT(pw_port_config_clone(NULL) == NULL);
  pw_port_config_free(NULL);
}

TEST(options_may_come_from_uri_query) {
  pw_port_config *cfg =
      parse_ok("uri=file:///C:/out?pattern=%7Bjob%7D.prn&timeout=5");
  ASSERT(cfg != NULL && pw_file_opts(cfg) != NULL);
  ASSERT_STREQ(pw_file_opts(cfg)->pattern, "{job}.prn");
  ASSERT_EQ(cfg->timeout_ms, 5000);
  ASSERT_STREQ(cfg->uri, "file:///C:/out"); /* canonical: no query */
  pw_port_config_free(cfg);
}

TEST(a_line_wins_over_the_same_query_option) {
  pw_port_config *cfg =
      parse_ok("uri=file:///C:/out?pattern=q.prn&timeout=5\npattern=line.prn");
  ASSERT(cfg != NULL && pw_file_opts(cfg) != NULL);
  ASSERT_STREQ(pw_file_opts(cfg)->pattern, "line.prn");
  ASSERT_EQ(cfg->timeout_ms, 5000);
  pw_port_config_free(cfg);
}

TEST(unknown_or_duplicate_query_options_are_rejected) {
  ASSERT(uri_rejected("file:///C:/out?foo=1"));
  ASSERT_STREQ(errbuf, "uri: unknown option 'foo'");
  ASSERT(uri_rejected("file:///C:/out?uri=file:///x"));
  ASSERT(uri_rejected("file:///C:/out?timeout=5&TIMEOUT=6"));
  ASSERT(uri_rejected("file:///C:/out?timeout=0"));
}

TEST(format_writes_uri_then_pattern_then_nondefault_timeout) {
  pw_port_config *cfg = parse_ok("timeout=60\nuri=file:///C:/out/");
  ASSERT(cfg != NULL);
  char *text = NULL;
  ASSERT_EQ(pw_port_config_format(cfg, &text), PW_OK);
  ASSERT_STREQ(text, "uri=file:///C:/out\npattern=" PW_DEFAULT_PATTERN "\n");
  free(text);
  cfg->timeout_ms = 5000;
  ASSERT_EQ(pw_port_config_format(cfg, &text), PW_OK);
  ASSERT_STREQ(text, "uri=file:///C:/out\npattern=" PW_DEFAULT_PATTERN
                     "\ntimeout=5\n");
  free(text);
  pw_port_config_free(cfg);
}

TEST(format_of_network_and_pipe_ports) {
  char *t = round_trip("uri=socket://h:9101?timeout=7");
  ASSERT_STREQ(t, "uri=socket://h:9101\ntimeout=7\n");
  free(t);
  t = round_trip("uri=pipe:/bin/cat?args=-u");
  ASSERT_STREQ(t, "uri=pipe:/bin/cat\nargs=-u\n");
  free(t);
}

TEST(format_escapes_what_would_change_the_uri) {
  char *t = round_trip("uri=file:///C:/a%20b/50%25/x%23y/%7Bz%7D");
  ASSERT_STREQ(
      t, "uri=file:///C:/a%20b/50%25/x%23y/%7Bz%7D\npattern=" PW_DEFAULT_PATTERN
         "\n");
  free(t);
}

TEST(parse_of_format_round_trips_for_every_kind) {
  static const char *const cases[] = {
      "uri=file:///C:/out",
      "uri=file:/c:/Out/Sub/\npattern={n}.prn\ntimeout=3600",
      "uri=file:///tmp/x?pattern=%7Bdoc%7D-{{x}}.ps",
      "uri=file://srv/share/dir",
      "uri=file:\\\\srv\\share",
      "uri=file:///",
      "uri=file:///C:",
      "uri=file:///caf%C3%A9/%E2%82%AC%20x",
      "uri=file:///C:/a;b=c&d/@x/~y/!z$",
      "uri=socket://[fe80::1]:9200",
      "uri=socket://h%C3%BCbsch.example",
      "uri=lpd://h/q?timeout=1",
      "uri=lpd://h/%25q%3F",
      "uri=ipp://h:8631/printers/a%20b",
      "uri=ipps://h/ipp/print?timeout=120",
      "uri=pipe:/usr/bin/lpr?args=%20-P%20x%20",
      "uri=pipe:///C:/gs/gs.exe\nargs=-q -dNOPAUSE",
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *t = round_trip(cases[i]);
    if (!t)
      fprintf(stderr, "  case: %s\n", cases[i]);
    ASSERT(t != NULL);
    free(t);
  }
}

TEST(format_rejects_configs_that_cannot_be_written) {
  pw_port_config cfg;
  memset(&cfg, 0, sizeof cfg);
  char *text = NULL;
  cfg.kind = PW_DEST_FILE;
  ASSERT_EQ(pw_port_config_format(&cfg, &text), PW_EINVAL); /* no options */
  char dir[] = "C:/x", pattern[] = "a\nuri=file:///evil";
  pw_file_options file = {NULL, pattern};
  cfg.opts = &file;
  ASSERT_EQ(pw_port_config_format(&cfg, &text), PW_EINVAL); /* no dir */
  file.dir = dir;
  ASSERT_EQ(pw_port_config_format(&cfg, &text), PW_EINVAL); /* a 2nd line */
  ASSERT(text == NULL);
  char args[] = "-x\r\nuri=file:///evil", command[] = "/bin/x";
  pw_pipe_options pipe = {.command = command, .args = args};
  cfg.kind = PW_DEST_PIPE;
  cfg.opts = &pipe;
  ASSERT_EQ(pw_port_config_format(&cfg, &text), PW_EINVAL);
  ASSERT(text == NULL);
  cfg.kind = (pw_dest_kind)99;
  ASSERT_EQ(pw_port_config_format(&cfg, &text), PW_EINVAL);
  ASSERT(text == NULL);
}

TEST(default_config_writes_into_data_dir_output) {
  pw_port_config *cfg = NULL;
  ASSERT_EQ(pw_port_config_default("C:\\ProgramData\\portway", &cfg), PW_OK);
  ASSERT_EQ(cfg->kind, PW_DEST_FILE);
  ASSERT(pw_file_opts(cfg) != NULL);
  ASSERT_STREQ(pw_file_opts(cfg)->dir, "C:/ProgramData/portway/output");
  ASSERT_STREQ(cfg->uri, "file:///C:/ProgramData/portway/output");
  ASSERT_STREQ(pw_file_opts(cfg)->pattern, PW_DEFAULT_PATTERN);
  ASSERT_EQ(cfg->timeout_ms, 60000);
  char *text = NULL;
  ASSERT_EQ(pw_port_config_format(cfg, &text), PW_OK);
  pw_port_config *back = parse_ok(text);
  free(text);
  ASSERT(pw_port_config_equal(cfg, back));
  pw_port_config_free(back);
  pw_port_config_free(cfg);
  ASSERT_EQ(pw_port_config_default("/tmp/x/", &cfg), PW_OK);
  ASSERT(pw_file_opts(cfg) != NULL);
  ASSERT_STREQ(pw_file_opts(cfg)->dir, "/tmp/x/output");
  pw_port_config_free(cfg);
  ASSERT_EQ(pw_port_config_default("\\\\srv\\share\\pw", &cfg), PW_OK);
  ASSERT(pw_file_opts(cfg) != NULL);
  ASSERT_STREQ(pw_file_opts(cfg)->dir, "//srv/share/pw/output");
  pw_port_config_free(cfg);
}

TEST(default_config_rejects_unusable_data_dirs) {
  pw_port_config *cfg = (pw_port_config *)(uintptr_t)1;
  ASSERT_EQ(pw_port_config_default("relative\\dir", &cfg), PW_EBADCONFIG);
  ASSERT(cfg == NULL);
  ASSERT_EQ(pw_port_config_default("C:\\a\\..\\b", &cfg), PW_EBADCONFIG);
  ASSERT_EQ(pw_port_config_default("C:\\a\x01", &cfg), PW_EBADCONFIG);
  ASSERT_EQ(pw_port_config_default(NULL, &cfg), PW_EINVAL);
  ASSERT_EQ(pw_port_config_default("/tmp", NULL), PW_EINVAL);
  char big[PW_MAX_PATH + 8];
  memset(big, 'a', sizeof big - 1);
  big[0] = '/';
  big[sizeof big - 1] = '\0';
  ASSERT_EQ(pw_port_config_default(big, &cfg), PW_ENAMETOOLONG);
}

TEST(clone_is_equal_and_independent) {
  pw_port_config *a = parse_ok("uri=pipe:/bin/x?args=1&timeout=9");
  ASSERT(a != NULL);
  pw_port_config *b = pw_port_config_clone(a);
  ASSERT(b != NULL);
  ASSERT(pw_port_config_equal(a, b));
  const pw_pipe_options *pa = pw_pipe_opts(a), *pb = pw_pipe_opts(b);
  ASSERT(pa != NULL && pb != NULL && pa != pb);
  ASSERT(pa->command != pb->command && pa->args != pb->args &&
         a->uri != b->uri);
  pb->command[1] = 'X';
  ASSERT_STREQ(pa->command, "/bin/x");
  ASSERT(!pw_port_config_equal(a, b));
  pw_port_config_free(a);
  pw_port_config_free(b);
}

TEST(every_kind_has_a_distinct_description) {
  const pw_dest_kind kinds[] = {PW_DEST_FILE, PW_DEST_SOCKET, PW_DEST_LPD,
                                PW_DEST_IPP, PW_DEST_PIPE};
  for (size_t i = 0; i < 5; i++) {
    ASSERT(strncmp(pw_dest_kind_name(kinds[i]), "portway ", 8) == 0);
    for (size_t j = 0; j < i; j++)
      ASSERT(strcmp(pw_dest_kind_name(kinds[i]), pw_dest_kind_name(kinds[j])) !=
             0);
  }
  ASSERT_STREQ(pw_dest_kind_name(PW_DEST_FILE), "portway file port");
  ASSERT(pw_dest_kind_name((pw_dest_kind)0) != NULL);
}

TEST(path_whose_canonical_uri_would_be_too_long_is_rejected) {
  /* 700 ']' fit the 1024-byte directory limit but percent-encode to 2100
   * bytes: the canonical URI could not be parsed back, so it is refused. */
  char text[1024];
  size_t n = (size_t)snprintf(text, sizeof text, "uri=file:///tmp/");
  memset(text + n, ']', 700);
  text[n + 700] = '\0';
  pw_port_config *cfg = NULL;
  ASSERT_EQ(pw_port_config_parse(text, &cfg, NULL, 0), PW_ENAMETOOLONG);
  ASSERT(cfg == NULL);
  /* 300 of them (900 bytes encoded) are fine and round-trip. */
  text[n + 300] = '\0';
  ASSERT_EQ(pw_port_config_parse(text, &cfg, NULL, 0), PW_OK);
  pw_uri u;
  ASSERT_EQ(pw_uri_parse(cfg->uri, &u), PW_OK);
  pw_uri_free(&u);
  pw_port_config_free(cfg);
}

TEST_MAIN(TEST_ENTRY(minimal_file_config_gets_defaults),
          TEST_ENTRY(path_whose_canonical_uri_would_be_too_long_is_rejected),
          TEST_ENTRY(comments_blank_lines_crlf_and_spaces_are_accepted),
          TEST_ENTRY(a_leading_utf8_bom_is_ignored),
          TEST_ENTRY(missing_uri_is_rejected),
          TEST_ENTRY(unknown_option_is_rejected_with_line_number),
          TEST_ENTRY(duplicate_keys_are_rejected_in_any_case),
          TEST_ENTRY(lines_without_equals_or_key_are_rejected),
          TEST_ENTRY(control_characters_in_lines_are_rejected),
          TEST_ENTRY(text_must_be_valid_utf8),
          TEST_ENTRY(text_longer_than_pw_max_config_text_is_rejected),
          TEST_ENTRY(errbuf_may_be_null_or_tiny),
          TEST_ENTRY(null_arguments_are_invalid),
          TEST_ENTRY(options_may_come_from_uri_query),
          TEST_ENTRY(a_line_wins_over_the_same_query_option),
          TEST_ENTRY(unknown_or_duplicate_query_options_are_rejected),
          TEST_ENTRY(format_writes_uri_then_pattern_then_nondefault_timeout),
          TEST_ENTRY(format_of_network_and_pipe_ports),
          TEST_ENTRY(format_escapes_what_would_change_the_uri),
          TEST_ENTRY(parse_of_format_round_trips_for_every_kind),
          TEST_ENTRY(format_rejects_configs_that_cannot_be_written),
          TEST_ENTRY(default_config_writes_into_data_dir_output),
          TEST_ENTRY(default_config_rejects_unusable_data_dirs),
          TEST_ENTRY(clone_is_equal_and_independent),
          TEST_ENTRY(every_kind_has_a_distinct_description))

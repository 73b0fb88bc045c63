/* Device URIs per scheme in a port configuration: file paths, network
 * hosts/ports/queues, pipe programs, scheme options (portway/config.h). */
#include "config_check.h"
#include "core/dest.h"

TEST(file_uri_forms_for_drive_paths) {
  ASSERT_STREQ(file_dir("file:///C:/dir"), "C:/dir");
  ASSERT_STREQ(file_dir("file:/C:/dir"), "C:/dir");
  ASSERT_STREQ(file_dir("file:C:/dir"), "C:/dir");
  ASSERT_STREQ(file_dir("file://localhost/C:/dir"), "C:/dir");
  ASSERT_STREQ(file_dir("file://LocalHost/C:/dir"), "C:/dir");
  ASSERT_STREQ(file_dir("file:///d:/Spool/Out"), "D:/Spool/Out");
  ASSERT_STREQ(file_dir("file:///C:"), "C:/");
  ASSERT_STREQ(file_dir("file:///C:/"), "C:/");
}

TEST(file_uri_forms_for_posix_paths) {
  ASSERT_STREQ(file_dir("file:///tmp/dir"), "/tmp/dir");
  ASSERT_STREQ(file_dir("file:/tmp/dir"), "/tmp/dir");
  ASSERT_STREQ(file_dir("file://localhost/tmp/dir"), "/tmp/dir");
  ASSERT_STREQ(file_dir("file:///"), "/");
}

TEST(file_uri_forms_for_unc_paths) {
  ASSERT_STREQ(file_dir("file://server/share/dir"), "//server/share/dir");
  ASSERT_STREQ(file_dir("file://server/share"), "//server/share");
  ASSERT_STREQ(file_dir("file:////server/share/dir"), "//server/share/dir");
  ASSERT_STREQ(file_dir("file:\\\\server\\share\\dir"), "//server/share/dir");
}

TEST(file_paths_are_normalised) {
  ASSERT_STREQ(file_dir("file:///C:\\dir\\sub\\"), "C:/dir/sub");
  ASSERT_STREQ(file_dir("file:///tmp//a///b/"), "/tmp/a/b");
  ASSERT_STREQ(file_dir("file:///C:/My%20Files/caf%C3%A9"),
               "C:/My Files/caf\xc3\xa9");
  ASSERT_STREQ(file_dir("file:///tmp/100%25"), "/tmp/100%");
  ASSERT_STREQ(file_dir("file:///tmp/a.b/.hidden/x..y"),
               "/tmp/a.b/.hidden/x..y");
}

TEST(file_canonical_uri_per_path_kind) {
  pw_port_config *cfg = parse_ok("uri=file:/c:\\Out\\");
  ASSERT(cfg != NULL);
  ASSERT_STREQ(cfg->uri, "file:///C:/Out");
  pw_port_config_free(cfg);
  cfg = parse_ok("uri=file:/tmp/x/");
  ASSERT(cfg != NULL);
  ASSERT_STREQ(cfg->uri, "file:///tmp/x");
  pw_port_config_free(cfg);
  cfg = parse_ok("uri=file:////srv/share/x");
  ASSERT(cfg != NULL);
  ASSERT_STREQ(cfg->uri, "file://srv/share/x");
  pw_port_config_free(cfg);
}

TEST(file_rejects_relative_and_empty_paths) {
  ASSERT(uri_rejected("file:"));
  ASSERT(uri_rejected("file:dir"));
  ASSERT(uri_rejected("file:C:dir"));
  ASSERT(uri_rejected("file:./dir"));
  ASSERT(uri_rejected("file://"));
}

TEST(file_rejects_dot_and_dotdot_segments) {
  ASSERT(uri_rejected("file:///C:/out/../Windows"));
  ASSERT(uri_rejected("file:///C:/out/.."));
  ASSERT(uri_rejected("file:///C:/./out"));
  ASSERT(uri_rejected("file:///tmp/%2E%2E/etc"));
  ASSERT(uri_rejected("file:///C:\\out\\..\\..\\Windows"));
  ASSERT(uri_rejected("file:///C:/out/..."));
  ASSERT(uri_rejected("file:///C:/out/.. /x"));
  ASSERT(uri_rejected("file://server/../x"));
  ASSERT(uri_rejected("file:////../share"));
}

TEST(file_rejects_device_and_stream_paths) {
  ASSERT(uri_rejected("file:////./pipe/x"));
  ASSERT(uri_rejected("file:////%3F/C:/x"));
  ASSERT(uri_rejected("file:///C:/out:stream"));
  ASSERT(uri_rejected("file:///C:/NUL"));
  ASSERT(uri_rejected("file:///C:/out/com1.txt"));
  ASSERT(uri_rejected("file:///C:/a%3Cb"));
  ASSERT(uri_rejected("file:///C:/a%7Cb"));
  ASSERT(uri_rejected("file:///C:/a*b"));
}

TEST(file_rejects_control_characters) {
  ASSERT(uri_rejected("file:///C:/a%01b"));
  ASSERT(uri_rejected("file:///C:/a%0D%0Apattern=x"));
}

TEST(file_rejects_port_userinfo_and_bad_unc) {
  ASSERT(uri_rejected("file://host:21/share"));
  ASSERT(uri_rejected("file://user@server/share"));
  ASSERT(uri_rejected("file://server"));
  ASSERT(uri_rejected("file://server/"));
  ASSERT(uri_rejected("file://[::1]/share"));
  ASSERT(uri_rejected("file://server/C:/x"));
  /* \\localhost\share cannot be written back as a file:// URI. */
  ASSERT(uri_rejected("file:////localhost/share"));
  ASSERT(uri_rejected("file:\\\\LOCALHOST\\share"));
}

TEST(file_drive_as_host_gets_a_hint) {
  ASSERT(uri_rejected("file://C:/dir"));
  ASSERT(strstr(errbuf, "file:///C:/dir") != NULL);
}

TEST(file_path_longer_than_pw_max_path_is_rejected) {
  char uri[PW_MAX_PATH + 64];
  int n = snprintf(uri, sizeof uri, "uri=file:///");
  memset(uri + n, 'a', PW_MAX_PATH - 1);
  uri[n + PW_MAX_PATH - 1] = '\0'; /* "/" + 1023 = 1024 bytes: fits */
  pw_port_config *cfg = parse_ok(uri);
  ASSERT(cfg != NULL && pw_file_opts(cfg) != NULL);
  ASSERT_EQ(strlen(pw_file_opts(cfg)->dir), PW_MAX_PATH);
  pw_port_config_free(cfg);
  strcat(uri, "a");
  ASSERT(parse_fails(uri, PW_ENAMETOOLONG));
}

TEST(file_options_pattern_and_timeout) {
  pw_port_config *cfg =
      parse_ok("uri=file:///C:/out\npattern={doc}.prn\ntimeout=3600");
  ASSERT(cfg != NULL && pw_file_opts(cfg) != NULL);
  ASSERT_STREQ(pw_file_opts(cfg)->pattern, "{doc}.prn");
  ASSERT_EQ(cfg->timeout_ms, 3600000);
  pw_port_config_free(cfg);
}

TEST(file_rejects_invalid_patterns_with_reason) {
  ASSERT(parse_fails("uri=file:///C:/out\npattern={nope}", PW_EBADCONFIG));
  ASSERT(strncmp(errbuf, "line 2: ", 8) == 0);
  ASSERT(strstr(errbuf, "nope") != NULL);
  ASSERT(parse_fails("uri=file:///C:/out\npattern=../x", PW_EBADCONFIG));
  ASSERT(parse_fails("uri=file:///C:/out\npattern=", PW_EBADCONFIG));
  ASSERT(uri_rejected("file:///C:/out?pattern=a%2Fb"));
}

TEST(timeout_must_be_whole_seconds_from_1_to_3600) {
  ASSERT(parse_fails("uri=file:///a\ntimeout=0", PW_EBADCONFIG));
  ASSERT(parse_fails("uri=file:///a\ntimeout=3601", PW_EBADCONFIG));
  ASSERT(parse_fails("uri=file:///a\ntimeout=-5", PW_EBADCONFIG));
  ASSERT(parse_fails("uri=file:///a\ntimeout=1.5", PW_EBADCONFIG));
  ASSERT(parse_fails("uri=file:///a\ntimeout=", PW_EBADCONFIG));
  ASSERT(parse_fails("uri=file:///a\ntimeout=99999999999999999999",
                     PW_EBADCONFIG));
  pw_port_config *cfg = parse_ok("uri=file:///a\ntimeout=1");
  ASSERT(cfg != NULL);
  ASSERT_EQ(cfg->timeout_ms, 1000);
  pw_port_config_free(cfg);
}

TEST(socket_defaults_to_port_9100) {
  pw_port_config *cfg = parse_ok("uri=socket://printer.lan");
  ASSERT(cfg != NULL);
  ASSERT_EQ(cfg->kind, PW_DEST_SOCKET);
  const pw_socket_options *sock = pw_socket_opts(cfg);
  ASSERT(sock != NULL);
  ASSERT_STREQ(sock->host, "printer.lan");
  ASSERT_EQ(sock->port, 9100);
  ASSERT_STREQ(cfg->uri, "socket://printer.lan:9100");
  pw_port_config_free(cfg);
  cfg = parse_ok("uri=SOCKET://10.0.0.7:9101/");
  ASSERT(cfg != NULL && pw_socket_opts(cfg) != NULL);
  ASSERT_EQ(pw_socket_opts(cfg)->port, 9101);
  ASSERT_STREQ(cfg->uri, "socket://10.0.0.7:9101");
  pw_port_config_free(cfg);
}

TEST(socket_ipv6_host_is_bracketed_in_canonical_uri) {
  pw_port_config *cfg = parse_ok("uri=socket://[::1]");
  ASSERT(cfg != NULL && pw_socket_opts(cfg) != NULL);
  ASSERT_STREQ(pw_socket_opts(cfg)->host, "::1");
  ASSERT_STREQ(cfg->uri, "socket://[::1]:9100");
  pw_port_config_free(cfg);
}

TEST(network_uris_reject_bad_hosts_ports_paths) {
  ASSERT(uri_rejected("socket://"));
  ASSERT(uri_rejected("socket:/host"));
  ASSERT(uri_rejected("socket://host/queue"));
  ASSERT(uri_rejected("socket://host:0"));
  ASSERT(uri_rejected("socket://user@host"));
  ASSERT(uri_rejected("socket://ho$t"));
  ASSERT(uri_rejected("socket://.."));
  ASSERT(uri_rejected("socket://host?pattern=x.prn"));
  ASSERT(uri_rejected("socket://host?args=-x"));
}

TEST(lpd_needs_a_queue_and_defaults_to_port_515) {
  pw_port_config *cfg = parse_ok("uri=lpd://host/PASSTHRU\ntimeout=10");
  ASSERT(cfg != NULL);
  ASSERT_EQ(cfg->kind, PW_DEST_LPD);
  const pw_lpd_options *lpd = pw_lpd_opts(cfg);
  ASSERT(lpd != NULL);
  ASSERT_STREQ(lpd->host, "host");
  ASSERT_EQ(lpd->port, 515);
  ASSERT_STREQ(lpd->queue, "PASSTHRU");
  ASSERT_EQ(cfg->timeout_ms, 10000);
  ASSERT_STREQ(cfg->uri, "lpd://host:515/PASSTHRU");
  pw_port_config_free(cfg);
  ASSERT(uri_rejected("lpd://host"));
  ASSERT(uri_rejected("lpd://host/"));
  ASSERT(uri_rejected("lpd://host/a%20b"));
  ASSERT(uri_rejected("lpd://host/a/b"));
  ASSERT(uri_rejected("lpd://host/caf%C3%A9"));
  ASSERT(uri_rejected("lpd://host/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")); /*33*/
  cfg = parse_ok("uri=lpd://host/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");    /* 32 */
  ASSERT(cfg != NULL);
  pw_port_config_free(cfg);
}

TEST(ipp_needs_a_resource_and_defaults_to_port_631) {
  pw_port_config *cfg = parse_ok("uri=ipp://host/printers/lab");
  ASSERT(cfg != NULL);
  ASSERT_EQ(cfg->kind, PW_DEST_IPP);
  const pw_ipp_options *ipp = pw_ipp_opts(cfg);
  ASSERT(ipp != NULL);
  ASSERT_STREQ(ipp->host, "host");
  ASSERT_EQ(ipp->port, 631);
  ASSERT_EQ(ipp->tls, 0);
  ASSERT_STREQ(ipp->resource, "/printers/lab");
  ASSERT_STREQ(cfg->uri, "ipp://host:631/printers/lab");
  pw_port_config_free(cfg);
  cfg = parse_ok("uri=ipps://host/ipp/print");
  ASSERT(cfg != NULL && (ipp = pw_ipp_opts(cfg)) != NULL);
  ASSERT_EQ(ipp->tls, 1);
  ASSERT_EQ(ipp->port, 631);
  ASSERT_STREQ(cfg->uri, "ipps://host:631/ipp/print");
  pw_port_config_free(cfg);
  ASSERT(uri_rejected("ipp://host"));
  ASSERT(uri_rejected("ipp://host/"));
}

TEST(pipe_takes_an_absolute_program_and_args) {
  pw_port_config *cfg = parse_ok("uri=pipe:/usr/bin/lpr?args=-P lab\n");
  ASSERT(cfg != NULL);
  ASSERT_EQ(cfg->kind, PW_DEST_PIPE);
  const pw_pipe_options *pipe = pw_pipe_opts(cfg);
  ASSERT(pipe != NULL);
  ASSERT_STREQ(pipe->command, "/usr/bin/lpr");
  ASSERT_STREQ(pipe->args, "-P lab");
  ASSERT_STREQ(cfg->uri, "pipe:/usr/bin/lpr");
  pw_port_config_free(cfg);
  cfg = parse_ok("uri=pipe:///C:\\Tools\\gs.exe\nargs=-sDEVICE=pdfwrite");
  ASSERT(cfg != NULL && (pipe = pw_pipe_opts(cfg)) != NULL);
  ASSERT_STREQ(pipe->command, "C:/Tools/gs.exe");
  ASSERT_STREQ(pipe->args, "-sDEVICE=pdfwrite");
  ASSERT_STREQ(cfg->uri, "pipe:/C:/Tools/gs.exe");
  pw_port_config_free(cfg);
  ASSERT(uri_rejected("pipe:bin/x"));
  ASSERT(uri_rejected("pipe:/"));
  ASSERT(uri_rejected("pipe:///C:/"));
  ASSERT(uri_rejected("pipe://server/share/x.exe"));
  ASSERT(uri_rejected("pipe:/bin/../x"));
  ASSERT(uri_rejected("pipe:/bin/x?bytecount=true")); /* lpd's */
}

TEST(options_for_another_kind_are_rejected) {
  ASSERT(parse_fails("uri=socket://h\npattern=x.prn", PW_EBADCONFIG));
  ASSERT_STREQ(errbuf,
               "line 2: option 'pattern' is not valid for a portway socket "
               "port");
  ASSERT(parse_fails("uri=file:///a\nargs=x", PW_EBADCONFIG));
}

TEST(unsupported_schemes_are_rejected) {
  ASSERT(uri_rejected("http://host/x"));
  ASSERT(uri_rejected("C:\\out"));
  ASSERT(uri_rejected("smb://server/share"));
}

TEST(options_for_another_kind_are_rejected_in_the_query_too) {
  ASSERT(uri_rejected("socket://h?pattern=x.prn"));
  ASSERT_STREQ(errbuf,
               "uri: option 'pattern' is not valid for a portway socket port");
  ASSERT(parse_fails("uri=file:///a\nargs=x", PW_EBADCONFIG));
  ASSERT_STREQ(errbuf, "line 2: option 'args' is not valid for a portway "
                       "file port");
}

TEST(canonical_text_of_every_kind_is_pinned) {
  /* Stored configurations are this text: it must never change. */
  static const char *const cases[][2] = {
      {"uri=file:/c:\\Out\\?timeout=60&connect_timeout=5",
       "uri=file:///C:/Out\npattern=" PW_DEFAULT_PATTERN
       "\nconnect_timeout=5\n"},
      {"pattern={n}.prn\nuri=file:////srv/share/x", "uri=file://srv/share/x\n"
                                                    "pattern={n}.prn\n"},
      {"uri=socket://[FE80::1]:9100/?connect_timeout=30",
       "uri=socket://[FE80::1]:9100\n"},
      {"uri=lpd://h/%25q\ntimeout=10\nconnect_timeout=11",
       "uri=lpd://h:515/%25q\ntimeout=10\nconnect_timeout=11\n"},
      {"uri=IPPS://h/ipp/print%20x", "uri=ipps://h:631/ipp/print%20x\n"},
      {"uri=ipp://h:8631/p", "uri=ipp://h:8631/p\n"},
      {"args=\nuri=pipe:///C:/gs.exe", "uri=pipe:/C:/gs.exe\n"},
      {"uri=pipe:/bin/x?args=-a%20b", "uri=pipe:/bin/x\nargs=-a b\n"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *t = round_trip(cases[i][0]);
    if (!t || strcmp(t, cases[i][1]) != 0)
      fprintf(stderr, "  case: %s\n  got: %s\n", cases[i][0], t ? t : "-");
    ASSERT(t != NULL);
    ASSERT_STREQ(t, cases[i][1]);
    free(t);
  }
}

TEST(each_accessor_answers_for_its_own_kind_only) {
  static const char *const uris[] = {"uri=file:///a", "uri=socket://h",
                                     "uri=lpd://h/q", "uri=ipp://h/p",
                                     "uri=pipe:/bin/x"};
  for (size_t i = 0; i < sizeof uris / sizeof uris[0]; i++) {
    pw_port_config *cfg = parse_ok(uris[i]);
    ASSERT(cfg != NULL);
    int file = pw_file_opts(cfg) != NULL, sock = pw_socket_opts(cfg) != NULL,
        lpd = pw_lpd_opts(cfg) != NULL, ipp = pw_ipp_opts(cfg) != NULL,
        pipe = pw_pipe_opts(cfg) != NULL;
    pw_dest_kind kind = cfg->kind;
    pw_port_config_free(cfg);
    ASSERT_EQ(file + sock + lpd + ipp + pipe, 1);
    ASSERT_EQ(file, kind == PW_DEST_FILE);
    ASSERT_EQ(sock, kind == PW_DEST_SOCKET);
    ASSERT_EQ(lpd, kind == PW_DEST_LPD);
    ASSERT_EQ(ipp, kind == PW_DEST_IPP);
    ASSERT_EQ(pipe, kind == PW_DEST_PIPE);
  }
  ASSERT(pw_file_opts(NULL) == NULL && pw_pipe_opts(NULL) == NULL);
}

TEST(every_type_is_one_row_of_the_scheme_table) {
  const pw_dest_kind kinds[] = {PW_DEST_FILE, PW_DEST_SOCKET, PW_DEST_LPD,
                                PW_DEST_IPP, PW_DEST_PIPE};
  size_t rows = 0;
  while (pw_dest_scheme_at(rows))
    rows++;
  ASSERT_EQ(rows, sizeof kinds / sizeof kinds[0]);
  for (size_t i = 0; i < rows; i++) {
    const pw_dest_scheme *s = pw_dest_scheme_for_kind(kinds[i]);
    ASSERT(s != NULL && s->kind == kinds[i]);
    ASSERT_STREQ(pw_dest_kind_name(kinds[i]), s->description);
    ASSERT(pw_dest_for_kind(kinds[i]) == s->ops);
    for (const char *const *n = s->schemes; *n; n++)
      ASSERT(pw_dest_scheme_for_name(*n) == s);
  }
  ASSERT(pw_dest_scheme_for_name("ipps") ==
         pw_dest_scheme_for_kind(PW_DEST_IPP));
  ASSERT(pw_dest_scheme_for_name("http") == NULL);
  ASSERT(pw_dest_scheme_for_name("FILE") == NULL); /* parser lowercases */
  ASSERT(pw_dest_scheme_for_name(NULL) == NULL);
  ASSERT(pw_dest_scheme_for_kind((pw_dest_kind)0) == NULL);
  ASSERT(pw_dest_for_kind((pw_dest_kind)0) == NULL);
  ASSERT(pw_dest_scheme_at(rows) == NULL);
}

TEST(every_type_has_a_destination_and_only_socket_a_back_channel) {
  ASSERT(pw_dest_for_kind(PW_DEST_FILE) == &pw_dest_file);
  ASSERT(pw_dest_scheme_for_kind(PW_DEST_FILE)->ops == &pw_dest_file);
  ASSERT(pw_dest_for_kind(PW_DEST_SOCKET) != NULL);
  ASSERT(pw_dest_for_kind(PW_DEST_SOCKET)->flags & PW_DEST_HAS_BACKCHANNEL);
  ASSERT(pw_dest_for_kind(PW_DEST_LPD) != NULL);
  ASSERT_EQ(pw_dest_for_kind(PW_DEST_LPD)->flags & PW_DEST_HAS_BACKCHANNEL, 0);
  ASSERT(pw_dest_for_kind(PW_DEST_IPP) == &pw_dest_ipp);
  ASSERT_EQ(pw_dest_for_kind(PW_DEST_IPP)->flags & PW_DEST_HAS_BACKCHANNEL, 0);
  ASSERT(pw_dest_for_kind(PW_DEST_PIPE) == &pw_dest_pipe);
  ASSERT_EQ(pw_dest_for_kind(PW_DEST_PIPE)->flags & PW_DEST_HAS_BACKCHANNEL, 0);
  ASSERT_EQ(pw_dest_for_kind(PW_DEST_FILE)->flags & PW_DEST_HAS_BACKCHANNEL, 0);
}

TEST(a_test_override_replaces_a_types_destination_and_is_undone) {
  static const pw_dest_ops fake = {.kind = PW_DEST_LPD};
  pw_dest_override_for_tests(PW_DEST_LPD, &fake);
  int used = pw_dest_for_kind(PW_DEST_LPD) == &fake;
  int file_kept = pw_dest_for_kind(PW_DEST_FILE) == &pw_dest_file;
  pw_dest_override_for_tests(PW_DEST_LPD, NULL);
  ASSERT(used && file_kept);
  ASSERT(pw_dest_for_kind(PW_DEST_LPD) ==
         pw_dest_scheme_for_kind(PW_DEST_LPD)->ops);
}

TEST(configs_of_different_kinds_or_options_are_not_equal) {
  pw_port_config *a = parse_ok("uri=ipp://h/p");
  pw_port_config *b = parse_ok("uri=ipps://h/p");
  pw_port_config *c = parse_ok("uri=lpd://h/p");
  ASSERT(a != NULL && b != NULL && c != NULL);
  int ab = pw_port_config_equal(a, b), ac = pw_port_config_equal(a, c);
  pw_port_config *copy = pw_port_config_clone(b);
  int same = pw_port_config_equal(b, copy);
  pw_port_config_free(copy);
  pw_port_config_free(a);
  pw_port_config_free(b);
  pw_port_config_free(c);
  ASSERT(!ab && !ac && same);
}

TEST_MAIN(
    TEST_ENTRY(file_uri_forms_for_drive_paths),
    TEST_ENTRY(file_uri_forms_for_posix_paths),
    TEST_ENTRY(file_uri_forms_for_unc_paths),
    TEST_ENTRY(file_paths_are_normalised),
    TEST_ENTRY(file_canonical_uri_per_path_kind),
    TEST_ENTRY(file_rejects_relative_and_empty_paths),
    TEST_ENTRY(file_rejects_dot_and_dotdot_segments),
    TEST_ENTRY(file_rejects_device_and_stream_paths),
    TEST_ENTRY(file_rejects_control_characters),
    TEST_ENTRY(file_rejects_port_userinfo_and_bad_unc),
    TEST_ENTRY(file_drive_as_host_gets_a_hint),
    TEST_ENTRY(file_path_longer_than_pw_max_path_is_rejected),
    TEST_ENTRY(file_options_pattern_and_timeout),
    TEST_ENTRY(file_rejects_invalid_patterns_with_reason),
    TEST_ENTRY(timeout_must_be_whole_seconds_from_1_to_3600),
    TEST_ENTRY(socket_defaults_to_port_9100),
    TEST_ENTRY(socket_ipv6_host_is_bracketed_in_canonical_uri),
    TEST_ENTRY(network_uris_reject_bad_hosts_ports_paths),
    TEST_ENTRY(lpd_needs_a_queue_and_defaults_to_port_515),
    TEST_ENTRY(ipp_needs_a_resource_and_defaults_to_port_631),
    TEST_ENTRY(pipe_takes_an_absolute_program_and_args),
    TEST_ENTRY(options_for_another_kind_are_rejected),
    TEST_ENTRY(unsupported_schemes_are_rejected),
    TEST_ENTRY(options_for_another_kind_are_rejected_in_the_query_too),
    TEST_ENTRY(canonical_text_of_every_kind_is_pinned),
    TEST_ENTRY(each_accessor_answers_for_its_own_kind_only),
    TEST_ENTRY(every_type_is_one_row_of_the_scheme_table),
    TEST_ENTRY(every_type_has_a_destination_and_only_socket_a_back_channel),
    TEST_ENTRY(a_test_override_replaces_a_types_destination_and_is_undone),
    TEST_ENTRY(configs_of_different_kinds_or_options_are_not_equal))

/* pipe: (program) ports' options, through the core's port API with /bin/sh
 * programs: the canonical text, what is refused and why, stdout=output,
 * stderr_lines, and runas=user where no spooler impersonates anyone.
 * Scratch under PW_TEST_TMP (the fixture's folder). */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "jobfix.h"
#include "memstore.h"
#include "pipefix.h"
#include "test.h"

TEST(options_are_checked_and_written_canonically) {
  fixture fx;
  char *cfg = NULL;
  ASSERT_EQ(fixture_setup(&fx, "pipe-options"), 0);
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "PWP:",
                                "uri=pipe:///usr/bin/gs\n"
                                "args=-o {output} -\n"
                                "output=file:///C:/pdf\npattern={doc}.pdf\n"
                                "cwd=file:///tmp\nenv=A=1\nrunas=service\n"
                                "stdout=discard\nstderr_lines=5\n",
                                NULL, 0),
            PW_OK);
  ASSERT_EQ(pw_monitor_get_port_config(fx.mon, "PWP:", &cfg), PW_OK);
  /* Defaults are not written. */
  ASSERT_STREQ(cfg, "uri=pipe:/usr/bin/gs\nargs=-o {output} -\n"
                    "output=file:///C:/pdf\npattern={doc}.pdf\n"
                    "cwd=file:///tmp\nenv=A=1\n");
  free(cfg);
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "PWQ:",
                                "uri=pipe:///usr/bin/gs\nrunas=user\n"
                                "stdout=output\noutput=file:///C:/pdf\n"
                                "stderr_lines=0\n",
                                NULL, 0),
            PW_OK);
  ASSERT_EQ(pw_monitor_get_port_config(fx.mon, "PWQ:", &cfg), PW_OK);
  ASSERT_STREQ(cfg, "uri=pipe:/usr/bin/gs\noutput=file:///C:/pdf\n"
                    "runas=user\nstdout=output\nstderr_lines=0\n");
  free(cfg);
  static const struct {
    const char *cfg, *why;
  } bad[] = {
      {"uri=pipe:///bin/sh\nargs=\"unclosed\n", "unclosed"},
      {"uri=pipe:///bin/sh\nargs={bogus}\n", "unknown token"},
      {"uri=pipe:///bin/sh\nenv=NOEQUALS\n", "NAME=VALUE"},
      {"uri=pipe:///bin/sh\nrunas=admin\n", "runas must be service or user"},
      {"uri=pipe:///bin/sh\nstdout=file\n", "stdout must be discard or output"},
      {"uri=pipe:///bin/sh\nstdout=output\n", "stdout=output needs output="},
      {"uri=pipe:///bin/sh\nargs=-o {output}\n", "has no output="},
      {"uri=pipe:///bin/sh\nstderr_lines=51\n", "stderr_lines must be 0 to 50"},
      {"uri=pipe:///bin/sh\nstderr_lines=-1\n", "stderr_lines must be"},
      {"uri=pipe:///bin/sh\nstderr_lines=99999999999999999999\n",
       "stderr_lines must be"},
      {"uri=pipe:///bin/sh\noutput=/not/a/uri\n", "file: URI"},
      {"uri=pipe:///bin/sh\npattern=a/b\n", "pattern"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char why[256] = "";
    ASSERT_EQ(pw_monitor_add_port(fx.mon, "PWX:", bad[i].cfg, why, sizeof why),
              PW_EBADCONFIG);
    if (!strstr(why, bad[i].why))
      fprintf(stderr, "  case %zu: '%s'\n", i, why);
    ASSERT(strstr(why, bad[i].why) != NULL);
  }
  fixture_teardown(&fx);
}

TEST(stdout_output_puts_the_programs_stdout_into_output) {
  fixture fx;
  char extra[512], want[512];
  ASSERT_EQ(fixture_setup(&fx, "pipe-stdout"), 0);
  snprintf(extra, sizeof extra,
           "output=file://%s\npattern={doc}.out\nstdout=output\n", fx.outdir);
  /* The program writes to its stdout only: cat's copy lands in {output}. */
  ASSERT_EQ(pipefix_add_sh_port(&fx, "-c \"cat; echo done >&2\"", extra),
            PW_OK);
  ASSERT_EQ(pipefix_print(&fx, &pipefix_doc7, 1000003), PW_OK);
  pipefix_path_in(&fx, "report.out", want, sizeof want);
  long n;
  char *got = pipefix_slurp(want, &n);
  ASSERT(got != NULL);
  ASSERT_EQ(n, 1000003);
  for (long i = 0; i < n; i++)
    if ((unsigned char)got[i] != jobfix_byte((uint64_t)i))
      ASSERT(!"byte differs");
  free(got);
  ASSERT(jobfix_log_has(&fx, "delivered 1000003 bytes to sh -> "));
  fixture_teardown(&fx);
}

TEST(stdout_output_of_a_failed_job_leaves_no_file) {
  fixture fx;
  char extra[512];
  ASSERT_EQ(fixture_setup(&fx, "pipe-stdout-fail"), 0);
  snprintf(extra, sizeof extra, "output=file://%s\nstdout=output\n", fx.outdir);
  ASSERT_EQ(pipefix_add_sh_port(&fx, "-c \"cat; exit 4\"", extra), PW_OK);
  ASSERT_EQ(pipefix_print(&fx, &pipefix_doc7, 70000), PW_EIO);
  ASSERT(jobfix_log_has(&fx, "sh exited with code 4"));
  ASSERT_EQ(test_count_files(fx.outdir), 0);
  fixture_teardown(&fx);
}

/* A program that writes lines one..eight to stderr and fails. */
#define EIGHT_LINES                                                            \
  "-c \"cat >/dev/null; for w in one two three four five six seven eight; "    \
  "do echo line-$w >&2; done; exit 2\""

TEST(a_failure_logs_the_last_stderr_lines_asked_for) {
  fixture fx;
  ASSERT_EQ(fixture_setup(&fx, "pipe-stderr"), 0);
  ASSERT_EQ(pipefix_add_sh_port(&fx, EIGHT_LINES, "stderr_lines=3\n"), PW_OK);
  ASSERT_EQ(pipefix_print(&fx, &pipefix_doc7, 100), PW_EIO);
  ASSERT(jobfix_log_has(
      &fx, "sh exited with code 2: line-six | line-seven | line-eight"));
  ASSERT(!jobfix_log_has(&fx, "line-five"));
  fixture_teardown(&fx);
}

TEST(the_default_keeps_five_lines_and_zero_keeps_none) {
  fixture fx;
  ASSERT_EQ(fixture_setup(&fx, "pipe-stderr-default"), 0);
  ASSERT_EQ(pipefix_add_sh_port(&fx, EIGHT_LINES, NULL), PW_OK);
  ASSERT_EQ(pipefix_print(&fx, &pipefix_doc7, 100), PW_EIO);
  ASSERT(jobfix_log_has(&fx, "code 2: line-four | line-five | line-six | "
                             "line-seven | line-eight"));
  ASSERT(!jobfix_log_has(&fx, "line-three"));
  fixture_teardown(&fx);

  ASSERT_EQ(fixture_setup(&fx, "pipe-stderr-none"), 0);
  ASSERT_EQ(pipefix_add_sh_port(&fx, EIGHT_LINES, "stderr_lines=0\n"), PW_OK);
  ASSERT_EQ(pipefix_print(&fx, &pipefix_doc7, 100), PW_EIO);
  ASSERT(jobfix_log_has(&fx, "sh exited with code 2"));
  ASSERT(!jobfix_log_has(&fx, "line-eight"));
  fixture_teardown(&fx);
}

TEST(long_stderr_lines_are_cut_at_the_front_and_stay_on_one_line) {
  fixture fx;
  ASSERT_EQ(fixture_setup(&fx, "pipe-stderr-long"), 0);
  /* 3000 x's then a tab and ESC, one line: the log keeps its end. */
  ASSERT_EQ(pipefix_add_sh_port(&fx,
                                "-c \"cat >/dev/null; head -c 3000 /dev/zero "
                                "| tr '\\0' x >&2; printf '\\t\\033END' "
                                ">&2; exit 1\"",
                                NULL),
            PW_OK);
  ASSERT_EQ(pipefix_print(&fx, &pipefix_doc7, 10), PW_EIO);
  ASSERT(jobfix_log_has(&fx, "sh exited with code 1: ...xxx"));
  ASSERT(jobfix_log_has(&fx, "xx  END"));
  fixture_teardown(&fx);
}

TEST(runas_user_fails_the_job_where_no_spooler_impersonates) {
  fixture fx;
  char extra[512], marker[512], args[1024];
  ASSERT_EQ(fixture_setup(&fx, "pipe-runas"), 0);
  pipefix_path_in(&fx, "ran", marker, sizeof marker);
  snprintf(args, sizeof args, "-c \"touch %s; cat >/dev/null\"", marker);
  snprintf(extra, sizeof extra, "runas=user\noutput=file://%s\n", fx.outdir);
  ASSERT_EQ(pipefix_add_sh_port(&fx, args, extra), PW_OK);
  pw_handle h;
  ASSERT_EQ(pw_port_open(fx.mon, "PWP:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &pipefix_doc7), PW_ENOTSUP);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  ASSERT(jobfix_log_has(&fx, "runas=user: running as the job's user needs "
                             "Windows' spooler; the program was not started"));
  /* Never run as anyone else: no program, no {output}. */
  ASSERT(access(marker, F_OK) != 0);
  ASSERT_EQ(test_count_files(fx.outdir), 0);
  fixture_teardown(&fx);
}

TEST_MAIN(
    TEST_ENTRY(options_are_checked_and_written_canonically),
    TEST_ENTRY(stdout_output_puts_the_programs_stdout_into_output),
    TEST_ENTRY(stdout_output_of_a_failed_job_leaves_no_file),
    TEST_ENTRY(a_failure_logs_the_last_stderr_lines_asked_for),
    TEST_ENTRY(the_default_keeps_five_lines_and_zero_keeps_none),
    TEST_ENTRY(long_stderr_lines_are_cut_at_the_front_and_stay_on_one_line),
    TEST_ENTRY(runas_user_fails_the_job_where_no_spooler_impersonates))

/* pipe: (program) ports through the core's port API, with real programs:
 * /bin/sh scripts (argv as an array: no shell ever parses portway's
 * arguments; these scripts are the configured program) and Ghostscript.
 * Scratch under PW_TEST_TMP (the fixture's folder). */
#define _DEFAULT_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "jobfix.h"
#include "memstore.h"
#include "pipefix.h"
#include "test.h"

static const pw_doc_info hostile_doc = {
    "Office", 7,     "a\" b & c|d<e>f^g%PATH% ..\\x \\ \xc3\xa9",
    "alice",  "ws1", "RAW"};
TEST(the_job_reaches_the_program_byte_identical_through_output) {
  fixture fx;
  char extra[512], want[512];
  ASSERT_EQ(fixture_setup(&fx, "pipe"), 0);
  snprintf(extra, sizeof extra, "output=file://%s\npattern={doc}.out\n",
           fx.outdir);
  ASSERT_EQ(
      pipefix_add_sh_port(&fx, "-c \"cat > \\\"$1\\\"\" sh {output}", extra),
      PW_OK);
  ASSERT_EQ(pipefix_print(&fx, &pipefix_doc7, 3000001), PW_OK);
  pipefix_path_in(&fx, "report.out", want, sizeof want);
  long n;
  char *got = pipefix_slurp(want, &n);
  ASSERT(got != NULL);
  ASSERT_EQ(n, 3000001);
  for (long i = 0; i < n; i++)
    if ((unsigned char)got[i] != jobfix_byte((uint64_t)i))
      ASSERT(!"byte differs");
  free(got);
  ASSERT(jobfix_log_has(&fx, "delivered 3000001 bytes to sh -> "));
  fixture_teardown(&fx);
}

TEST(a_hostile_document_name_is_one_argument_exactly) {
  fixture fx;
  char args[1024], file[512];
  ASSERT_EQ(fixture_setup(&fx, "pipe-argv"), 0);
  pipefix_path_in(&fx, "argv.txt", file, sizeof file);
  snprintf(args, sizeof args,
           "-c \"cat >/dev/null; printf '%%s\\n' \\\"$@\\\" > %s\" sh "
           "--doc={doc} \"two words\" {job}",
           file);
  ASSERT_EQ(pipefix_add_sh_port(&fx, args, NULL), PW_OK);
  ASSERT_EQ(pipefix_print(&fx, &hostile_doc, 10), PW_OK);
  long n;
  char *got = pipefix_slurp(file, &n);
  ASSERT(got != NULL);
  char want[512];
  snprintf(want, sizeof want, "--doc=%s\ntwo words\n7\n", hostile_doc.doc_name);
  ASSERT_STREQ(got, want);
  free(got);
  fixture_teardown(&fx);
}

TEST(the_program_sees_redmons_variables_and_the_ports_env) {
  fixture fx;
  char args[1024], file[512];
  ASSERT_EQ(fixture_setup(&fx, "pipe-env"), 0);
  pipefix_path_in(&fx, "env.txt", file, sizeof file);
  snprintf(args, sizeof args, "-c \"cat >/dev/null; env > %s\"", file);
  ASSERT_EQ(
      pipefix_add_sh_port(&fx, args, "env=PW_TEST_A=1 \"PW_TEST_B=x y\"\n"),
      PW_OK);
  ASSERT_EQ(pipefix_print(&fx, &pipefix_doc7, 10), PW_OK);
  long n;
  char *got = pipefix_slurp(file, &n);
  ASSERT(got != NULL);
  ASSERT(strstr(got, "\nREDMON_JOB=7\n") != NULL);
  ASSERT(strstr(got, "\nREDMON_PORT=PWP:\n") != NULL);
  ASSERT(strstr(got, "\nREDMON_USER=alice\n") != NULL);
  ASSERT(strstr(got, "\nREDMON_DOCNAME=report\n") != NULL);
  ASSERT(strstr(got, "\nPORTWAY_PRINTER=Office\n") != NULL);
  ASSERT(strstr(got, "\nPW_TEST_B=x y\n") != NULL);
  ASSERT(strstr(got, "PATH=") != NULL); /* ours is inherited */
  free(got);
  fixture_teardown(&fx);
}

TEST(a_failing_program_fails_the_job_with_its_code_and_stderr) {
  fixture fx;
  char extra[512];
  ASSERT_EQ(fixture_setup(&fx, "pipe-fail"), 0);
  snprintf(extra, sizeof extra, "output=file://%s\npattern=x.out\n", fx.outdir);
  ASSERT_EQ(
      pipefix_add_sh_port(&fx,
                          "-c \"cat > \\\"$1\\\"; echo no paper >&2; exit 3\" "
                          "sh {output}",
                          extra),
      PW_OK);
  ASSERT_EQ(pipefix_print(&fx, &pipefix_doc7, 5000), PW_EIO);
  ASSERT(jobfix_log_has(&fx, "sh exited with code 3: no paper"));
  ASSERT_EQ(test_count_files(fx.outdir), 0); /* no half output is left */
  fixture_teardown(&fx);
}

TEST(a_program_that_exits_early_fails_the_write) {
  fixture fx;
  ASSERT_EQ(fixture_setup(&fx, "pipe-early"), 0);
  ASSERT_EQ(pipefix_add_sh_port(&fx, "-c \"exit 0\"", NULL), PW_OK);
  int rc = pipefix_print(&fx, &pipefix_doc7, 8u << 20);
  ASSERT(rc != PW_OK);
  ASSERT_EQ(fx.delivered, 0);
  fixture_teardown(&fx);
}

TEST(a_hanging_program_is_killed_at_the_time_out) {
  fixture fx;
  ASSERT_EQ(fixture_setup(&fx, "pipe-hang"), 0);
  ASSERT_EQ(pipefix_add_sh_port(&fx, "-c \"cat >/dev/null; sleep 100\"",
                                "timeout=1\n"),
            PW_OK);
  uint64_t t0 = pw_time_monotonic_ns();
  ASSERT_EQ(pipefix_print(&fx, &pipefix_doc7, 100), PW_ETIMEDOUT);
  ASSERT((pw_time_monotonic_ns() - t0) / 1000000u < 10000u);
  ASSERT(jobfix_log_has(&fx,
                        "sh still ran 1 s after the job's end and was killed"));
  fixture_teardown(&fx);
}

TEST(close_port_mid_job_kills_the_program_and_its_children) {
  fixture fx;
  char args[1024], file[512];
  ASSERT_EQ(fixture_setup(&fx, "pipe-close"), 0);
  pipefix_path_in(&fx, "pids", file, sizeof file);
  snprintf(args, sizeof args,
           "-c \"sleep 100 & echo $$ $! > %s; cat > /dev/null\"", file);
  ASSERT_EQ(pipefix_add_sh_port(&fx, args, NULL), PW_OK);
  pw_handle h;
  ASSERT_EQ(pw_port_open(fx.mon, "PWP:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &pipefix_doc7), PW_OK);
  ASSERT_EQ(jobfix_write_pattern(h, 100000, 4096), PW_OK);
  long n = -1;
  char *pids = NULL;
  for (int i = 0; i < 500 && (n <= 0 || !strchr(pids, '\n')); i++) {
    free(pids);
    usleep(10000);
    pids = pipefix_slurp(file, &n);
  }
  ASSERT(pids != NULL);
  int sh = 0, child = 0;
  ASSERT_EQ(sscanf(pids, "%d %d", &sh, &child), 2);
  free(pids);
  ASSERT_EQ(pw_port_close(h), PW_OK); /* no EndDocPort */
  int gone = 0;
  for (int i = 0; i < 500 && !gone; i++) {
    gone = kill(sh, 0) != 0 && kill(child, 0) != 0;
    if (!gone)
      usleep(10000);
  }
  ASSERT(gone);
  ASSERT_EQ(fx.delivered, 0);
  fixture_teardown(&fx);
}

TEST(a_200_mb_job_streams_in_constant_memory) {
  fixture fx;
  char args[1024], file[512];
  ASSERT_EQ(fixture_setup(&fx, "pipe-big"), 0);
  pipefix_path_in(&fx, "count", file, sizeof file);
  snprintf(args, sizeof args, "-c \"wc -c > %s\"", file);
  ASSERT_EQ(pipefix_add_sh_port(&fx, args, NULL), PW_OK);
  FILE *f = fopen("/proc/self/clear_refs", "w");
  if (f) {
    fputs("5", f);
    fclose(f);
  }
  unsigned long before = jobfix_peak_rss_kib();
  ASSERT_EQ(pipefix_print(&fx, &pipefix_doc7, 200u << 20), PW_OK);
  unsigned long after = jobfix_peak_rss_kib();
  long n;
  char *got = pipefix_slurp(file, &n);
  ASSERT(got != NULL);
  ASSERT_EQ(strtoull(got, NULL, 10), 200ull << 20);
  free(got);
  printf("  peak RSS %lu -> %lu KiB\n", before, after);
  if (before && after)
    ASSERT(after - before < 8u * 1024u);
  fixture_teardown(&fx);
}

TEST(ghostscript_turns_a_postscript_job_into_a_two_page_pdf) {
  fixture fx;
  char cfg[1024], why[256], cmd[1024];
  if (access("/usr/bin/gs", X_OK) != 0 || access("/usr/bin/pdfinfo", X_OK) != 0)
    ASSERT(!"ghostscript and poppler-utils are needed (scripts/deps.sh)");
  ASSERT_EQ(fixture_setup(&fx, "pipe-gs"), 0);
  snprintf(cfg, sizeof cfg,
           "uri=pipe:///usr/bin/gs\n"
           "args=-q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pdfwrite "
           "\"-sOutputFile={output}\" -\noutput=file://%s\npattern={doc}.pdf\n",
           fx.outdir);
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "PWP:", cfg, why, sizeof why), PW_OK);
  static const char ps[] = "%!PS\n/Helvetica findfont 24 scalefont setfont\n"
                           "72 720 moveto (portway page 1) show showpage\n"
                           "72 720 moveto (portway page 2) show showpage\n";
  pw_handle h;
  size_t w = 0;
  ASSERT_EQ(pw_port_open(fx.mon, "PWP:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &pipefix_doc7), PW_OK);
  ASSERT_EQ(pw_port_write(h, ps, sizeof ps - 1, &w), PW_OK);
  ASSERT_EQ(pw_port_end_doc(h), PW_OK);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  snprintf(cmd, sizeof cmd, "pdfinfo '%s/report.pdf' | grep -q '^Pages: *2$'",
           fx.outdir);
  ASSERT_EQ(system(cmd), 0);
  fixture_teardown(&fx);
}

TEST(a_missing_program_fails_start_doc) {
  fixture fx;
  ASSERT_EQ(fixture_setup(&fx, "pipe-missing"), 0);
  ASSERT_EQ(pw_monitor_add_port(
                fx.mon, "PWP:", "uri=pipe:///nonexistent/prog\n", NULL, 0),
            PW_OK);
  pw_handle h;
  ASSERT_EQ(pw_port_open(fx.mon, "PWP:", &h), PW_OK);
  ASSERT_EQ(pw_port_start_doc(h, &pipefix_doc7), PW_ENOENT);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  ASSERT(jobfix_log_has(&fx, "cannot start /nonexistent/prog"));
  fixture_teardown(&fx);
}

/* Four program ports, one job each on its own thread. Each program, once
 * it has read its job, leaves a mark and waits (at most 10 s) until all
 * four marks exist: the jobs succeed only if the four programs ran at the
 * same time, so no lock serializes program ports. */
#define PARALLEL_PORTS 4
typedef struct par_job {
  fixture *fx;
  char port[8];
  int rc;
} par_job;

static void par_print(void *arg) {
  par_job *j = arg;
  pw_handle h;
  pw_doc_info doc = pipefix_doc7;
  j->rc = pw_port_open(j->fx->mon, j->port, &h);
  if (j->rc != PW_OK)
    return;
  j->rc = pw_port_start_doc(h, &doc);
  if (j->rc == PW_OK)
    j->rc = jobfix_write_pattern(h, 300000, 4096);
  int end = pw_port_end_doc(h);
  if (j->rc == PW_OK)
    j->rc = end;
  (void)pw_port_close(h);
}

TEST(program_ports_run_their_jobs_in_parallel) {
  fixture fx;
  ASSERT_EQ(fixture_setup(&fx, "pipe-parallel"), 0);
  par_job jobs[PARALLEL_PORTS];
  pw_thread *t[PARALLEL_PORTS] = {0};
  for (int i = 0; i < PARALLEL_PORTS; i++) {
    char cfg[1024];
    snprintf(cfg, sizeof cfg,
             "uri=pipe:///bin/sh\nargs=-c \"cat >/dev/null; touch "
             "'%s/mark-'$1; n=0; while [ $(ls '%s' | grep -c mark-) -lt %d "
             "]; do n=$((n+1)); [ $n -gt 200 ] && exit 1; sleep 0.05; "
             "done\" sh {port}\n",
             fx.outdir, fx.outdir, PARALLEL_PORTS);
    jobs[i].fx = &fx;
    snprintf(jobs[i].port, sizeof jobs[i].port, "PWP%d:", i);
    jobs[i].rc = -1;
    ASSERT_EQ(pw_monitor_add_port(fx.mon, jobs[i].port, cfg, NULL, 0), PW_OK);
  }
  for (int i = 0; i < PARALLEL_PORTS; i++)
    ASSERT_EQ(pw_thread_start(&t[i], par_print, &jobs[i]), 0);
  for (int i = 0; i < PARALLEL_PORTS; i++)
    ASSERT_EQ(pw_thread_join(t[i]), 0);
  for (int i = 0; i < PARALLEL_PORTS; i++)
    ASSERT_EQ(jobs[i].rc, PW_OK);
  ASSERT_EQ(fx.delivered, PARALLEL_PORTS);
  fixture_teardown(&fx);
}

TEST_MAIN(TEST_ENTRY(the_job_reaches_the_program_byte_identical_through_output),
          TEST_ENTRY(a_hostile_document_name_is_one_argument_exactly),
          TEST_ENTRY(the_program_sees_redmons_variables_and_the_ports_env),
          TEST_ENTRY(a_failing_program_fails_the_job_with_its_code_and_stderr),
          TEST_ENTRY(a_program_that_exits_early_fails_the_write),
          TEST_ENTRY(a_hanging_program_is_killed_at_the_time_out),
          TEST_ENTRY(close_port_mid_job_kills_the_program_and_its_children),
          TEST_ENTRY(a_200_mb_job_streams_in_constant_memory),
          TEST_ENTRY(ghostscript_turns_a_postscript_job_into_a_two_page_pdf),
          TEST_ENTRY(a_missing_program_fails_start_doc),
          TEST_ENTRY(program_ports_run_their_jobs_in_parallel))

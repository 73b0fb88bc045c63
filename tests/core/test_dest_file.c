/* portway — the file destination: byte-exact delivery, final names from the
 * pattern, collisions never overwrite, abort and failures leave nothing,
 * hostile document names stay inside the directory, constant memory. */
#define _DEFAULT_SOURCE /* opendir, getrusage, lstat under -std=c11 */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/dest.h"
#include "memstore.h" /* test_tmpdir, test_rmtree, test_count_files, ... */
#include "portway/error.h"
#include "portway/pattern.h"
#include "test.h"

#define FINAL_CAP (PW_MAX_PATH + PW_MAX_FILENAME + 2)

typedef struct env {
  char *root; /* scratch root */
  char dir[1024];
  char pattern[PW_MAX_PATTERN + 1];
  pw_port_config cfg;
  pw_doc_info doc;
  pw_dest_start st;
  char final[FINAL_CAP];
  char err[512];
} env;

/* Destination <root>/<sub> (not created) with `pattern`; a typical job. */
static int env_setup(env *e, const char *sub, const char *pattern) {
  memset(e, 0, sizeof *e);
  e->root = test_tmpdir("dest");
  if (!e->root)
    return -1;
  snprintf(e->dir, sizeof e->dir, "%s/%s", e->root, sub);
  snprintf(e->pattern, sizeof e->pattern, "%s", pattern);
  e->cfg.kind = PW_DEST_FILE;
  e->cfg.dir = e->dir;
  e->cfg.pattern = e->pattern;
  e->doc = (pw_doc_info){"Office HP", 7, "Report", "alice", "PC1", "RAW"};
  e->st.cfg = &e->cfg;
  e->st.port = "PW1:";
  e->st.doc = &e->doc;
  e->st.when = (pw_localtime){2026, 3, 4, 5, 6, 7, 890};
  return mkdir(e->dir, 0755);
}

static void env_teardown(env *e) {
  test_rmtree(e->root);
  free(e->root);
}

static const char *in(const char *dir, const char *name) {
  static char buf[4][2048];
  static int next;
  char *p = buf[next++ % 4];
  snprintf(p, sizeof buf[0], "%s/%s", dir, name);
  return p;
}

/* A whole job: start, write `len` bytes in `chunk`-sized writes, commit. */
static int run_job(env *e, const void *data, size_t len, size_t chunk) {
  pw_dest_job *job;
  int err = pw_dest_file.start(&e->st, &job, e->err, sizeof e->err);
  if (err != PW_OK)
    return err;
  const unsigned char *p = data;
  for (size_t off = 0; off < len; off += chunk) {
    size_t n = len - off < chunk ? len - off : chunk;
    err = pw_dest_file.write(job, p + off, n);
    if (err != PW_OK) {
      pw_dest_file.abort(job);
      return err;
    }
  }
  return pw_dest_file.commit(job, e->final, sizeof e->final, e->err,
                             sizeof e->err);
}

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

static int file_is(const char *path, const void *data, size_t len) {
  char *got;
  long n = test_read_file(path, &got);
  int same = n >= 0 && (size_t)n == len && memcmp(got, data, len) == 0;
  free(got);
  return same;
}

static int write_plain(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  if (!f)
    return -1;
  fputs(text, f);
  return fclose(f);
}

static int exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

TEST(file_destination_serves_file_ports_only) {
  ASSERT(pw_dest_for_kind(PW_DEST_FILE) == &pw_dest_file);
  ASSERT(pw_dest_for_kind(PW_DEST_SOCKET) == NULL);
  ASSERT(pw_dest_for_kind(PW_DEST_LPD) == NULL);
  ASSERT(pw_dest_for_kind(PW_DEST_IPP) == NULL);
  ASSERT(pw_dest_for_kind(PW_DEST_PIPE) == NULL);
  ASSERT(pw_dest_for_kind((pw_dest_kind)0) == NULL);
  ASSERT_EQ(pw_dest_file.kind, PW_DEST_FILE);
  ASSERT(pw_dest_file.read == NULL); /* no back channel */
}

TEST(job_bytes_arrive_byte_identical) {
  env e;
  ASSERT_EQ(env_setup(&e, "out", "job.prn"), 0);
  size_t len = (1u << 20) + 17;
  unsigned char *data = malloc(len);
  ASSERT(data);
  ASSERT_EQ(pw_random_bytes(data, len), PW_OK);
  pw_dest_job *job;
  ASSERT_EQ(pw_dest_file.start(&e.st, &job, e.err, sizeof e.err), PW_OK);
  static const size_t chunks[] = {1, 7, 0, 4096, 65536, 3, 100000};
  size_t off = 0;
  for (int i = 0; off < len; i++) {
    size_t n = chunks[i % 7];
    if (n > len - off)
      n = len - off;
    ASSERT_EQ(pw_dest_file.write(job, data + off, n), PW_OK);
    off += n;
  }
  int err =
      pw_dest_file.commit(job, e.final, sizeof e.final, e.err, sizeof e.err);
  int same = file_is(in(e.dir, "job.prn"), data, len);
  int files = test_count_files(e.dir);
  free(data);
  char expect[2048];
  snprintf(expect, sizeof expect, "%s/job.prn", e.dir);
  int final_ok = strcmp(e.final, expect) == 0;
  env_teardown(&e);
  ASSERT_EQ(err, PW_OK);
  ASSERT(same);
  ASSERT_EQ(files, 1);
  ASSERT(final_ok);
}

TEST(empty_job_gives_an_empty_file) {
  env e;
  ASSERT_EQ(env_setup(&e, "out", "empty.prn"), 0);
  int err = run_job(&e, "", 0, 1);
  int same = file_is(in(e.dir, "empty.prn"), "", 0);
  env_teardown(&e);
  ASSERT_EQ(err, PW_OK);
  ASSERT(same);
}

/* Final file name of one job with `pattern` (empty on failure). */
static int name_for(env *e, const char *pattern, char *name, size_t cap) {
  snprintf(e->pattern, sizeof e->pattern, "%s", pattern);
  int err = run_job(e, "x", 1, 1);
  snprintf(name, cap, "%s", err == PW_OK ? base_name(e->final) : "");
  return err;
}

TEST(final_name_expands_every_pattern_token) {
  /* The pattern validator bounds the worst-case length (64 bytes per text
   * token), so the tokens are spread over three patterns. */
  env e;
  ASSERT_EQ(env_setup(&e, "out", "x"), 0);
  char a[256], b[256], c[256];
  int ra = name_for(&e, "{job}_{doc}_{user}_{date}_{time}.prn", a, sizeof a);
  int rb = name_for(&e,
                    "{machine}_{printer}_{year}{month}{day}{hour}{minute}"
                    "{second}.prn",
                    b, sizeof b);
  int rc = name_for(&e, "{port}_{n}_{{x}}.prn", c, sizeof c);
  int files = test_count_files(e.dir);
  env_teardown(&e);
  ASSERT_EQ(ra, PW_OK);
  ASSERT_EQ(rb, PW_OK);
  ASSERT_EQ(rc, PW_OK);
  ASSERT_STREQ(a, "7_Report_alice_20260304_050607.prn");
  ASSERT_STREQ(b, "PC1_Office HP_20260304050607.prn");
  /* ':' of the port name is not allowed in a Windows file name. */
  ASSERT_STREQ(c, "PW1__1_{x}.prn");
  ASSERT_EQ(files, 3);
}

TEST(missing_document_fields_expand_to_unknown) {
  env e;
  ASSERT_EQ(env_setup(&e, "out", "x"), 0);
  e.st.doc = NULL;
  char a[256], b[256];
  int ra = name_for(&e, "{doc}-{user}-{job}.prn", a, sizeof a);
  int rb = name_for(&e, "{machine}-{printer}.prn", b, sizeof b);
  env_teardown(&e);
  ASSERT_EQ(ra, PW_OK);
  ASSERT_EQ(rb, PW_OK);
  ASSERT_STREQ(a, "unknown-unknown-0.prn");
  ASSERT_STREQ(b, "unknown-unknown.prn");
}

static char *heap_string(const char *s) {
  char *d = malloc(strlen(s) + 1);
  if (d)
    strcpy(d, s);
  return d;
}

/* Scribble over and free a caller string, as a caller reusing buffers. */
static void scribble_free(char *s) {
  memset(s, 'X', strlen(s));
  free(s);
}

TEST(document_strings_may_be_freed_right_after_start) {
  static const char *const patterns[] = {"{doc}-{user}.prn",
                                         "{machine}-{printer}.prn", "{port}"};
  static const char *const expect[] = {"memo-bob.prn", "HOST-Laser.prn", "P2"};
  for (int i = 0; i < 3; i++) {
    env e;
    ASSERT_EQ(env_setup(&e, "out", patterns[i]), 0);
    char *doc = heap_string("memo"), *user = heap_string("bob"),
         *machine = heap_string("HOST"), *printer = heap_string("Laser"),
         *port = heap_string("P2");
    ASSERT(doc && user && machine && printer && port);
    e.doc = (pw_doc_info){printer, 9, doc, user, machine, "RAW"};
    e.st.port = port;
    pw_dest_job *job;
    int err = pw_dest_file.start(&e.st, &job, e.err, sizeof e.err);
    scribble_free(doc);
    scribble_free(user);
    scribble_free(machine);
    scribble_free(printer);
    scribble_free(port);
    e.st.doc = NULL;
    e.st.port = NULL;
    if (err == PW_OK)
      err = pw_dest_file.commit(job, e.final, sizeof e.final, e.err,
                                sizeof e.err);
    char name[256];
    snprintf(name, sizeof name, "%s", base_name(e.final));
    env_teardown(&e);
    ASSERT_EQ(err, PW_OK);
    ASSERT_STREQ(name, expect[i]);
  }
}

TEST(collisions_get_dash_2_and_dash_4_and_never_overwrite) {
  env e;
  ASSERT_EQ(env_setup(&e, "out", "out.prn"), 0);
  ASSERT_EQ(write_plain(in(e.dir, "out.prn"), "keep1"), 0);
  ASSERT_EQ(write_plain(in(e.dir, "out-3.prn"), "keep3"), 0);
  int first = run_job(&e, "job A", 5, 5);
  char name1[256];
  snprintf(name1, sizeof name1, "%s", base_name(e.final));
  int second = run_job(&e, "job B", 5, 5);
  char name2[256];
  snprintf(name2, sizeof name2, "%s", base_name(e.final));
  int kept1 = file_is(in(e.dir, "out.prn"), "keep1", 5);
  int kept3 = file_is(in(e.dir, "out-3.prn"), "keep3", 5);
  int a = file_is(in(e.dir, "out-2.prn"), "job A", 5);
  int b = file_is(in(e.dir, "out-4.prn"), "job B", 5);
  int files = test_count_files(e.dir);
  env_teardown(&e);
  ASSERT_EQ(first, PW_OK);
  ASSERT_EQ(second, PW_OK);
  ASSERT_STREQ(name1, "out-2.prn");
  ASSERT_STREQ(name2, "out-4.prn");
  ASSERT(kept1 && kept3);
  ASSERT(a && b);
  ASSERT_EQ(files, 4);
}

TEST(counter_token_counts_from_one_past_taken_names) {
  env e;
  ASSERT_EQ(env_setup(&e, "out", "scan{n}.prn"), 0);
  ASSERT_EQ(write_plain(in(e.dir, "scan2.prn"), "old"), 0);
  int r1 = run_job(&e, "1", 1, 1);
  char n1[256];
  snprintf(n1, sizeof n1, "%s", base_name(e.final));
  int r2 = run_job(&e, "2", 1, 1);
  char n2[256];
  snprintf(n2, sizeof n2, "%s", base_name(e.final));
  int kept = file_is(in(e.dir, "scan2.prn"), "old", 3);
  env_teardown(&e);
  ASSERT_EQ(r1, PW_OK);
  ASSERT_EQ(r2, PW_OK);
  ASSERT_STREQ(n1, "scan1.prn");
  ASSERT_STREQ(n2, "scan3.prn");
  ASSERT(kept);
}

TEST(a_taken_name_that_is_a_directory_is_skipped) {
  env e;
  ASSERT_EQ(env_setup(&e, "out", "a.prn"), 0);
  ASSERT_EQ(mkdir(in(e.dir, "a.prn"), 0755), 0);
  int err = run_job(&e, "x", 1, 1);
  char name[256];
  snprintf(name, sizeof name, "%s", base_name(e.final));
  env_teardown(&e);
  ASSERT_EQ(err, PW_OK);
  ASSERT_STREQ(name, "a-2.prn");
}

TEST(ten_thousand_taken_names_fail_the_job_and_leave_nothing) {
  env e;
  ASSERT_EQ(env_setup(&e, "out", "f{n}.prn"), 0);
  for (int i = 1; i <= 10000; i++) {
    char name[32];
    snprintf(name, sizeof name, "f%d.prn", i);
    ASSERT_EQ(write_plain(in(e.dir, name), ""), 0);
  }
  int err = run_job(&e, "lost", 4, 4);
  int files = test_count_files(e.dir);
  int next_free = !exists(in(e.dir, "f10001.prn"));
  int named = strstr(e.err, "10000") != NULL && strstr(e.err, e.dir) != NULL;
  int final_empty = e.final[0] == '\0';
  env_teardown(&e);
  ASSERT_EQ(err, PW_EEXIST);
  ASSERT_EQ(files, 10000); /* the temporary file is gone */
  ASSERT(next_free);
  ASSERT(named);
  ASSERT(final_empty);
}

TEST(open_job_lives_in_a_hidden_temporary_file_until_commit) {
  env e;
  ASSERT_EQ(env_setup(&e, "out", "final.prn"), 0);
  pw_dest_job *job;
  ASSERT_EQ(pw_dest_file.start(&e.st, &job, e.err, sizeof e.err), PW_OK);
  ASSERT_EQ(pw_dest_file.write(job, "abc", 3), PW_OK);
  const char *tmpdir = in(e.dir, ".portway");
  DIR *d = opendir(tmpdir);
  ASSERT(d);
  char temp[256] = "";
  int entries = 0;
  struct dirent *de;
  while ((de = readdir(d))) {
    if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
      entries++;
      snprintf(temp, sizeof temp, "%s", de->d_name);
    }
  }
  closedir(d);
  int final_before = exists(in(e.dir, "final.prn"));
  int err =
      pw_dest_file.commit(job, e.final, sizeof e.final, e.err, sizeof e.err);
  int temp_after = exists(in(tmpdir, temp));
  int files_after = test_count_files(e.dir);
  env_teardown(&e);
  ASSERT_EQ(entries, 1);
  ASSERT_EQ(strlen(temp), strlen(".portway-0123456789abcdef.tmp"));
  ASSERT(strncmp(temp, ".portway-", 9) == 0);
  ASSERT_EQ(strspn(temp + 9, "0123456789abcdef"), 16);
  ASSERT_STREQ(temp + 25, ".tmp");
  ASSERT(!final_before);
  ASSERT_EQ(err, PW_OK);
  ASSERT(!temp_after);
  ASSERT_EQ(files_after, 1);
}

TEST(temporary_file_goes_into_the_directory_when_no_subfolder_can_be_made) {
  env e;
  ASSERT_EQ(env_setup(&e, "out", "y.prn"), 0);
  /* A file named like the temporary folder is in the way. */
  FILE *blocker = fopen(in(e.dir, ".portway"), "w");
  ASSERT(blocker != NULL);
  fclose(blocker);
  pw_dest_job *job;
  ASSERT_EQ(pw_dest_file.start(&e.st, &job, e.err, sizeof e.err), PW_OK);
  ASSERT_EQ(pw_dest_file.write(job, "xyz", 3), PW_OK);
  int err =
      pw_dest_file.commit(job, e.final, sizeof e.final, e.err, sizeof e.err);
  int delivered = exists(in(e.dir, "y.prn"));
  int files = test_count_files(e.dir); /* y.prn and the blocker */
  env_teardown(&e);
  ASSERT_EQ(err, PW_OK);
  ASSERT(delivered);
  ASSERT_EQ(files, 2);
}

TEST(abort_leaves_no_file_at_all) {
  env e;
  ASSERT_EQ(env_setup(&e, "out", "x.prn"), 0);
  pw_dest_job *job;
  ASSERT_EQ(pw_dest_file.start(&e.st, &job, e.err, sizeof e.err), PW_OK);
  static char block[10000];
  ASSERT_EQ(pw_dest_file.write(job, block, sizeof block), PW_OK);
  pw_dest_file.abort(job);
  int files = test_count_files(e.dir);
  env_teardown(&e);
  ASSERT_EQ(files, 0);
}

TEST(hostile_document_names_stay_inside_the_directory) {
  static const char *const names[] = {"../../x",
                                      "..\\x",
                                      "CON",
                                      "con.txt",
                                      "a\nb\x01c",
                                      "/etc/passwd",
                                      "",
                                      "..",
                                      ".",
                                      "C:\\Windows\\x",
                                      "\\\\server\\share\\f",
                                      "name . ",
                                      "x:y",
                                      "a/../../b",
                                      "\xff\xfe",
                                      "LPT1",
                                      "NUL.prn",
                                      "dir/",
                                      "*?<>|\""};
  const size_t n = sizeof names / sizeof names[0];
  env e;
  ASSERT_EQ(env_setup(&e, "out", "{doc}"), 0);
  char prefix[1100];
  snprintf(prefix, sizeof prefix, "%s/", e.dir);
  for (size_t i = 0; i < n; i++) {
    e.doc.doc_name = names[i];
    ASSERT_EQ(run_job(&e, names[i], strlen(names[i]), 3), PW_OK);
    const char *name = e.final + strlen(prefix);
    ASSERT(strncmp(e.final, prefix, strlen(prefix)) == 0);
    ASSERT(*name && !strchr(name, '/') && !strchr(name, '\\'));
    ASSERT(strcmp(name, ".") && strcmp(name, ".."));
    for (const char *p = name; *p; p++)
      ASSERT((unsigned char)*p >= 0x20 && *p != ':');
    /* Reserved device names never come out bare, with or without an
     * extension. */
    ASSERT(strncasecmp(name, "CON", 3) != 0 && strncasecmp(name, "NUL", 3) &&
           strncasecmp(name, "LPT1", 4));
    ASSERT(file_is(e.final, names[i], strlen(names[i])));
  }
  int in_dir = test_count_files(e.dir);
  int in_root = test_count_files(e.root); /* only "out" */
  env_teardown(&e);
  ASSERT_EQ(in_dir, (int)n);
  ASSERT_EQ(in_root, 1);
}

static long max_rss_kb(void) {
  struct rusage ru;
  return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

TEST(job_of_64_mib_in_4_kib_writes_streams_in_constant_memory) {
  env e;
  ASSERT_EQ(env_setup(&e, "out", "big.prn"), 0);
  enum { CHUNK = 4096, CHUNKS = 64 * 256 }; /* 64 MiB */
  long before = max_rss_kb();
  pw_dest_job *job;
  ASSERT_EQ(pw_dest_file.start(&e.st, &job, e.err, sizeof e.err), PW_OK);
  unsigned char buf[CHUNK];
  for (unsigned i = 0; i < CHUNKS; i++) {
    memset(buf, (int)(i * 31u & 0xff), sizeof buf);
    memcpy(buf, &i, sizeof i); /* every chunk distinct */
    ASSERT_EQ(pw_dest_file.write(job, buf, sizeof buf), PW_OK);
  }
  ASSERT_EQ(
      pw_dest_file.commit(job, e.final, sizeof e.final, e.err, sizeof e.err),
      PW_OK);
  long after = max_rss_kb();
  struct stat st;
  int stat_ok = stat(in(e.dir, "big.prn"), &st) == 0;
  /* Read back chunk by chunk: content in order, nothing lost or repeated. */
  FILE *f = fopen(in(e.dir, "big.prn"), "rb");
  int content_ok = f != NULL;
  for (unsigned i = 0; content_ok && i < CHUNKS; i++) {
    unsigned char got[CHUNK];
    memset(buf, (int)(i * 31u & 0xff), sizeof buf);
    memcpy(buf, &i, sizeof i);
    content_ok = fread(got, 1, sizeof got, f) == sizeof got &&
                 memcmp(got, buf, sizeof got) == 0;
  }
  if (f)
    fclose(f);
  env_teardown(&e);
  ASSERT(stat_ok);
  ASSERT_EQ(st.st_size, (long long)CHUNK * CHUNKS);
  ASSERT(content_ok);
  ASSERT(before > 0 && after > 0);
  ASSERT(after - before < 16 * 1024); /* KiB: far below the 64 MiB job */
}

TEST(missing_directory_is_created_with_its_parents) {
  env e;
  ASSERT_EQ(env_setup(&e, "out", "x.prn"), 0);
  snprintf(e.dir, sizeof e.dir, "%s/new/deeper/still", e.root);
  int err = run_job(&e, "abc", 3, 2);
  int ok = file_is(in(e.dir, "x.prn"), "abc", 3);
  env_teardown(&e);
  ASSERT_EQ(err, PW_OK);
  ASSERT(ok);
}

TEST(regular_file_as_directory_fails_start_naming_the_path) {
  env e;
  ASSERT_EQ(env_setup(&e, "out", "x.prn"), 0);
  snprintf(e.dir, sizeof e.dir, "%s/plain", e.root);
  ASSERT_EQ(write_plain(e.dir, "not a dir"), 0);
  pw_dest_job *job = (pw_dest_job *)1;
  int err = pw_dest_file.start(&e.st, &job, e.err, sizeof e.err);
  int named = strstr(e.err, e.dir) != NULL;
  int kept = file_is(e.dir, "not a dir", 9);
  env_teardown(&e);
  ASSERT_EQ(err, PW_ENOENT);
  ASSERT(job == NULL);
  ASSERT(named);
  ASSERT(kept);
}

TEST(directory_below_a_file_cannot_be_created_and_start_says_so) {
  env e;
  ASSERT_EQ(env_setup(&e, "out", "x.prn"), 0);
  char file[1100];
  snprintf(file, sizeof file, "%s/plain", e.root);
  ASSERT_EQ(write_plain(file, "x"), 0);
  snprintf(e.dir, sizeof e.dir, "%s/plain/sub", e.root);
  pw_dest_job *job = (pw_dest_job *)1;
  int err = pw_dest_file.start(&e.st, &job, e.err, sizeof e.err);
  int named =
      strstr(e.err, "cannot create directory") && strstr(e.err, e.dir) != NULL;
  env_teardown(&e);
  ASSERT_NE(err, PW_OK);
  ASSERT(job == NULL);
  ASSERT(named);
}

TEST(invalid_pattern_fails_start_and_creates_nothing) {
  env e;
  ASSERT_EQ(env_setup(&e, "out", "{nope}.prn"), 0);
  pw_dest_job *job = (pw_dest_job *)1;
  int err = pw_dest_file.start(&e.st, &job, e.err, sizeof e.err);
  int files = test_count_files(e.dir);
  int named = strstr(e.err, "{nope}.prn") != NULL;
  env_teardown(&e);
  ASSERT_EQ(err, PW_EBADCONFIG);
  ASSERT(job == NULL);
  ASSERT_EQ(files, 0);
  ASSERT(named);
}

TEST(commit_fails_and_leaves_nothing_when_the_directory_vanished) {
  env e;
  ASSERT_EQ(env_setup(&e, "out", "x.prn"), 0);
  pw_dest_job *job;
  ASSERT_EQ(pw_dest_file.start(&e.st, &job, e.err, sizeof e.err), PW_OK);
  ASSERT_EQ(pw_dest_file.write(job, "data", 4), PW_OK);
  test_rmtree(e.dir); /* the temporary file goes with it */
  int err =
      pw_dest_file.commit(job, e.final, sizeof e.final, e.err, sizeof e.err);
  int dir_state = pw_dir_check(e.dir);
  int in_root = test_count_files(e.root);
  int named = strstr(e.err, e.dir) != NULL;
  int final_empty = e.final[0] == '\0';
  env_teardown(&e);
  ASSERT_EQ(err, PW_ENOENT);
  ASSERT_EQ(dir_state, PW_ENOENT); /* not recreated */
  ASSERT_EQ(in_root, 0);
  ASSERT(named);
  ASSERT(final_empty);
}

TEST(commit_fails_without_a_final_file_when_the_temporary_was_deleted) {
  env e;
  ASSERT_EQ(env_setup(&e, "out", "x.prn"), 0);
  pw_dest_job *job;
  ASSERT_EQ(pw_dest_file.start(&e.st, &job, e.err, sizeof e.err), PW_OK);
  ASSERT_EQ(pw_dest_file.write(job, "data", 4), PW_OK);
  const char *tmpdir = in(e.dir, ".portway");
  DIR *d = opendir(tmpdir);
  ASSERT(d);
  struct dirent *de;
  while ((de = readdir(d)))
    if (de->d_name[0] == '.' && strcmp(de->d_name, ".") &&
        strcmp(de->d_name, ".."))
      unlink(in(tmpdir, de->d_name));
  closedir(d);
  int err =
      pw_dest_file.commit(job, e.final, sizeof e.final, e.err, sizeof e.err);
  int files = test_count_files(e.dir);
  int named = strstr(e.err, "x.prn") != NULL;
  env_teardown(&e);
  ASSERT_EQ(err, PW_ENOENT);
  ASSERT_EQ(files, 0);
  ASSERT(named);
}

TEST(too_small_final_buffer_gets_empty_string_but_job_is_delivered) {
  env e;
  ASSERT_EQ(env_setup(&e, "out", "x.prn"), 0);
  pw_dest_job *job;
  ASSERT_EQ(pw_dest_file.start(&e.st, &job, e.err, sizeof e.err), PW_OK);
  char tiny[8] = "garbage";
  int err = pw_dest_file.commit(job, tiny, sizeof tiny, NULL, 0);
  int delivered = exists(in(e.dir, "x.prn"));
  env_teardown(&e);
  ASSERT_EQ(err, PW_OK);
  ASSERT_STREQ(tiny, "");
  ASSERT(delivered);
}

TEST(start_rejects_incomplete_configuration) {
  env e;
  ASSERT_EQ(env_setup(&e, "out", "x.prn"), 0);
  pw_dest_job *job = (pw_dest_job *)1;
  int no_start = pw_dest_file.start(NULL, &job, e.err, sizeof e.err);
  e.cfg.kind = PW_DEST_SOCKET;
  int wrong_kind = pw_dest_file.start(&e.st, &job, e.err, sizeof e.err);
  e.cfg.kind = PW_DEST_FILE;
  e.cfg.dir = NULL;
  int no_dir = pw_dest_file.start(&e.st, &job, e.err, sizeof e.err);
  e.cfg.dir = e.dir;
  e.cfg.pattern = NULL;
  int no_pattern = pw_dest_file.start(&e.st, &job, NULL, 0);
  int files = test_count_files(e.dir);
  env_teardown(&e);
  ASSERT_EQ(no_start, PW_EINVAL);
  ASSERT_EQ(wrong_kind, PW_EINVAL);
  ASSERT_EQ(no_dir, PW_EINVAL);
  ASSERT_EQ(no_pattern, PW_EINVAL);
  ASSERT(job == NULL);
  ASSERT_EQ(files, 0);
}

TEST_MAIN(
    TEST_ENTRY(file_destination_serves_file_ports_only),
    TEST_ENTRY(job_bytes_arrive_byte_identical),
    TEST_ENTRY(empty_job_gives_an_empty_file),
    TEST_ENTRY(final_name_expands_every_pattern_token),
    TEST_ENTRY(missing_document_fields_expand_to_unknown),
    TEST_ENTRY(document_strings_may_be_freed_right_after_start),
    TEST_ENTRY(collisions_get_dash_2_and_dash_4_and_never_overwrite),
    TEST_ENTRY(counter_token_counts_from_one_past_taken_names),
    TEST_ENTRY(a_taken_name_that_is_a_directory_is_skipped),
    TEST_ENTRY(ten_thousand_taken_names_fail_the_job_and_leave_nothing),
    TEST_ENTRY(open_job_lives_in_a_hidden_temporary_file_until_commit),
    TEST_ENTRY(
        temporary_file_goes_into_the_directory_when_no_subfolder_can_be_made),
    TEST_ENTRY(abort_leaves_no_file_at_all),
    TEST_ENTRY(hostile_document_names_stay_inside_the_directory),
    TEST_ENTRY(job_of_64_mib_in_4_kib_writes_streams_in_constant_memory),
    TEST_ENTRY(missing_directory_is_created_with_its_parents),
    TEST_ENTRY(regular_file_as_directory_fails_start_naming_the_path),
    TEST_ENTRY(directory_below_a_file_cannot_be_created_and_start_says_so),
    TEST_ENTRY(invalid_pattern_fails_start_and_creates_nothing),
    TEST_ENTRY(commit_fails_and_leaves_nothing_when_the_directory_vanished),
    TEST_ENTRY(
        commit_fails_without_a_final_file_when_the_temporary_was_deleted),
    TEST_ENTRY(too_small_final_buffer_gets_empty_string_but_job_is_delivered),
    TEST_ENTRY(start_rejects_incomplete_configuration))

/* portway tests — file destination fixture and file helpers. */
#define _DEFAULT_SOURCE /* lstat under -std=c11 */
#include "destfix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "memstore.h" /* test_tmpdir, test_rmtree, test_read_file */
#include "portway/error.h"

int destfix_setup(destfix *e, const char *sub, const char *pattern) {
  memset(e, 0, sizeof *e);
  e->root = test_tmpdir("dest");
  if (!e->root)
    return -1;
  snprintf(e->dir, sizeof e->dir, "%s/%s", e->root, sub);
  snprintf(e->pattern, sizeof e->pattern, "%s", pattern);
  e->cfg.kind = PW_DEST_FILE;
  e->opts.dir = e->dir;
  e->opts.pattern = e->pattern;
  e->cfg.opts = &e->opts;
  e->doc = (pw_doc_info){"Office HP", 7, "Report", "alice", "PC1", "RAW"};
  e->st.cfg = &e->cfg;
  e->st.port = "PW1:";
  e->st.doc = &e->doc;
  e->st.when = (pw_localtime){2026, 3, 4, 5, 6, 7, 890};
  return mkdir(e->dir, 0755);
}

void destfix_teardown(destfix *e) {
  test_rmtree(e->root);
  free(e->root);
}

int destfix_run_job(destfix *e, const void *data, size_t len, size_t chunk) {
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

const char *test_path_in(const char *dir, const char *name) {
  static char buf[4][2048];
  static int next;
  char *p = buf[next++ % 4];
  snprintf(p, sizeof buf[0], "%s/%s", dir, name);
  return p;
}

const char *test_base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

int test_file_is(const char *path, const void *data, size_t len) {
  char *got;
  long n = test_read_file(path, &got);
  int same = n >= 0 && (size_t)n == len && memcmp(got, data, len) == 0;
  free(got);
  return same;
}

int test_write_text(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  if (!f)
    return -1;
  fputs(text, f);
  return fclose(f);
}

int test_exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

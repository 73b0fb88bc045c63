/* portway tests — a file destination in a scratch folder, and small file
 * helpers for checking what it delivered. None of these ASSERT (test.h's
 * failure flag is per test file): they return codes for the test to check. */
#ifndef PORTWAY_TEST_DESTFIX_H
#define PORTWAY_TEST_DESTFIX_H

#include <stddef.h>

#include "core/dest.h"
#include "core/dest/file.h"
#include "portway/config.h"
#include "portway/pattern.h"

#define DESTFIX_FINAL_CAP (PW_MAX_PATH + PW_MAX_FILENAME + 2)

typedef struct destfix {
  char *root; /* scratch root */
  char dir[1024];
  char pattern[PW_MAX_PATTERN + 1];
  pw_file_options opts; /* cfg.opts: dir and pattern, borrowed */
  pw_port_config cfg;
  pw_doc_info doc;
  pw_dest_start st;
  char final[DESTFIX_FINAL_CAP];
  char err[512];
} destfix;

/* Destination <root>/<sub> (created empty) with `pattern`; a typical job
 * (printer "Office HP", job 7, document "Report", user "alice", machine
 * "PC1", port "PW1:", 2026-03-04 05:06:07.890). Returns 0 on success. */
int destfix_setup(destfix *e, const char *sub, const char *pattern);
/* Removes the scratch root and everything in it. */
void destfix_teardown(destfix *e);
/* A whole job: start, write `len` bytes in `chunk`-sized writes, commit
 * (final path into e->final). Returns the first error, PW_OK otherwise. */
int destfix_run_job(destfix *e, const void *data, size_t len, size_t chunk);

/* "<dir>/<name>" in one of four rotating static buffers. */
const char *test_path_in(const char *dir, const char *name);
/* The part after the last '/'. */
const char *test_base_name(const char *path);
/* 1 if the file holds exactly `len` bytes equal to `data`. */
int test_file_is(const char *path, const void *data, size_t len);
/* Create (or truncate) a file holding `text`; 0 on success. */
int test_write_text(const char *path, const char *text);
/* 1 if anything (file, directory, link) has that name. */
int test_exists(const char *path);

#endif

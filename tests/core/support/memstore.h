/* portway tests — an in-memory pw_store with failure injection. */
#ifndef PORTWAY_TEST_MEMSTORE_H
#define PORTWAY_TEST_MEMSTORE_H

#include "platform/platform.h"
#include "portway/core.h"

typedef struct memstore_entry {
  char *name;
  char *text;
} memstore_entry;

typedef struct memstore {
  pw_store store; /* store.ctx points back here */
  pw_mutex lock;
  memstore_entry ports[64];
  size_t nports;
  char *log_level;
  int fail_writes; /* when non-zero, write_port/delete_port return it */
  unsigned writes, deletes, reads;
  uint64_t stamp; /* changes with every put/write/delete */
} memstore;

void memstore_init(memstore *ms);
void memstore_free(memstore *ms);
/* Put an entry directly (as another process would). */
void memstore_put(memstore *ms, const char *name, const char *text);
/* Stored text or NULL (borrowed). */
const char *memstore_get(memstore *ms, const char *name);

/* A scratch directory under PW_TEST_TMP (or /tmp), created empty. */
char *test_tmpdir(const char *tag);
/* rm -r of a scratch directory (non-recursive beyond files+1 level). */
void test_rmtree(const char *dir);
/* Number of entries in dir (excluding . and ..), or -1. The file port's
 * temporary folder ".portway" counts as the number of entries inside it, so
 * "nothing left behind" checks still see leftover temporary files. */
int test_count_files(const char *dir);
/* Read a whole file into a malloc'd buffer, NUL-terminated after its last
 * byte; returns the size or -1. */
long test_read_file(const char *path, char **data);

#endif

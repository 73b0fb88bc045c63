/* portway tests — plain Win32 helpers for the platform layer's tests: scratch
 * directories, file contents, existence. They reach every path through
 * "\\?\" themselves, so they work independently of the code under test. None
 * of them ASSERT (test.h's failure flag is per test file). */
#ifndef PORTWAY_TEST_PLATFIX_H
#define PORTWAY_TEST_PLATFIX_H

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN /* "<the running program's folder>\<name>" as      \
                             * UTF-8, in static storage; NULL on failure. */
const char *plat_beside_me(const char *name);
/* The whole file (malloc'd, NUL-terminated), NULL if unreadable; its
 * length in *len (may be NULL). */
char *plat_slurp(const char *path, size_t *len);

#endif
#include <windows.h>

/* "\\?\" + the UTF-8 path widened, '/' turned into '\' (malloc'd; NULL on
 * failure). The path must be absolute. */
wchar_t *plat_verbatim(const char *path);
/* GetFileAttributesW of the path, INVALID_FILE_ATTRIBUTES if absent. */
DWORD plat_attributes(const char *path);
/* 1 if anything has that name. */
int plat_exists(const char *path);
/* 1 if the file holds exactly `text` (up to 4 KiB). */
int plat_file_is(const char *path, const char *text);
/* A new file holding `text`, written through pw_file_create_new (so it fails
 * with PW_EEXIST if the name is taken); PW_OK or the pw_err. */
int plat_write_file(const char *path, const char *text);
/* Remove a directory and everything in it. */
void plat_rmtree(const char *dir);
/* A fresh empty scratch directory in the temp folder (UTF-8, '/'
 * separators) in static storage, replaced by the next call; NULL on
 * failure. */
const char *plat_scratch(void);
/* "<dir>/<name>" in one of four rotating static buffers. */
const char *plat_in(const char *dir, const char *name);
/* "<the running program's folder>\<name>" as UTF-8, in static storage;
 * NULL on failure. */
const char *plat_beside_me(const char *name);
/* The whole file (malloc'd, NUL-terminated), NULL if unreadable; its
 * length in *len (may be NULL). */
char *plat_slurp(const char *path, size_t *len);

#endif

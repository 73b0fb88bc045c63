/* portway tests — fixture for tests that drive portway.dll through its
 * MONITOR2 table, as a spooler does.
 *
 * mt_setup loads portway.dll from the test executable's directory, creates
 * an in-memory MONITORREG, calls InitializePrintMonitor2 and makes a unique
 * output directory under the Wine prefix's temp folder; mt_teardown undoes
 * all of it (Shutdown, FreeLibrary, remove the directory). MT_TEST wraps a
 * test body so teardown runs even when an ASSERT ends the body early. */
#ifndef PORTWAY_TEST_MONFIX_H
#define PORTWAY_TEST_MONFIX_H

#include "memreg.h"

#define MT_PATH 520
#define PWM_TEST_MONITOR L"portway" /* ",XcvMonitor portway" object */

typedef LPMONITOR2(WINAPI *mt_init_fn)(PMONITORINIT, PHANDLE);

typedef struct mt_fx {
  HMODULE dll;
  mt_init_fn init_fn;
  LPMONITOR2 m; /* table returned for hmon */
  HANDLE hmon;  /* NULL once shut down */
  memreg *reg;
  MONITORINIT init;
  MONITORREG mreg;
  WCHAR dir[MT_PATH]; /* empty output directory for this test */
} mt_fx;

/* 1 on success (diagnostics on stderr otherwise). */
int mt_setup(mt_fx *f);
void mt_teardown(mt_fx *f);
/* LoadLibrary portway.dll + GetProcAddress only. */
int mt_load(mt_fx *f);
/* Shut the instance down (idempotent). */
void mt_shutdown(mt_fx *f);

#define MT_TEST(name)                                                          \
  static void name##_body(mt_fx *f);                                           \
  TEST(name) {                                                                 \
    mt_fx fx_;                                                                 \
    if (mt_setup(&fx_))                                                        \
      name##_body(&fx_);                                                       \
    else                                                                       \
      pw_test_failed_ = 1;                                                     \
    mt_teardown(&fx_);                                                         \
  }                                                                            \
  static void name##_body(mt_fx *f)

/* ---- Xcv ---- */
/* XcvOpenPort(object, access) + XcvDataPort(cmd, ...) + XcvClosePort.
 * Returns the XcvDataPort status, or the XcvOpenPort error. */
DWORD mt_xcv(mt_fx *f, const WCHAR *object, DWORD access, const WCHAR *cmd,
             const void *in, DWORD cb_in, void *out, DWORD cb_out,
             DWORD *needed);
/* Pack one or two strings as Xcv input ("a\0" or "a\0b\0"); returns bytes. */
DWORD mt_strings(const WCHAR *a, const WCHAR *b, BYTE *buf, DWORD cap);
/* AddPort NAME with CONFIG (NULL = name only), as administrator. */
DWORD mt_add_port_config(mt_fx *f, const WCHAR *name, const WCHAR *config);
/* AddPort NAME writing files into `dir` ("uri=file:///<dir>\n"). */
DWORD mt_add_file_port(mt_fx *f, const WCHAR *name, const WCHAR *dir);
DWORD mt_delete_port(mt_fx *f, const WCHAR *name);
/* "uri=file:///C:/..." for a Windows directory (percent-encoded). */
void mt_file_config(const WCHAR *dir, WCHAR *out, size_t cap);
/* prefix (at most 63 bytes, e.g. "uri=pipe:///", "output=file:///") + the
 * Windows path with '/' separators, percent-encoded, + "\n". */
void mt_path_line(const char *prefix, const WCHAR *path, WCHAR *out,
                  size_t cap);

/* ---- EnumPorts ---- */
/* Number of ports EnumPorts(level 1) reports, -1 on failure. If `name` is
 * not NULL, *found says whether it is among them. */
int mt_enum_count(mt_fx *f, const WCHAR *name, int *found);

/* ---- jobs ---- */
/* StartDocPort(level 1, doc) + WritePort in `chunk` pieces + EndDocPort.
 * Returns TRUE if all succeeded; on failure GetLastError tells why. */
BOOL mt_print(mt_fx *f, HANDLE port, const WCHAR *doc, const void *data,
              size_t len, DWORD chunk);

/* ---- files ---- */
/* Make a new empty directory below the temp folder (or below `parent`). */
int mt_make_dir(const WCHAR *parent, WCHAR *out, size_t cap);
/* Remove a directory and every file and subdirectory in it. */
void mt_remove_tree(const WCHAR *dir);
/* Number of entries (files and directories) in dir, -1 on error. */
/* Entries in dir; the temporary folder ".portway" counts by its content. */
int mt_count_entries(const WCHAR *dir);
/* Path of the only file in dir; 0 if there is not exactly one. */
int mt_only_file(const WCHAR *dir, WCHAR *path, size_t cap);
/* Read a whole file (malloc'd, with one spare byte after the data, so
 * text can be NUL-terminated). 1 on success. */
int mt_read_file(const WCHAR *path, BYTE **data, size_t *len);
/* Deterministic pseudo-random bytes. */
void mt_fill_pattern(BYTE *buf, size_t len, unsigned seed);

/* QueryPerformanceCounter in milliseconds. */
double mt_now_ms(void);

#endif

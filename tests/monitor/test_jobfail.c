/* portway.dll — jobs that fail, and jobs that must not leak
 * (learn.microsoft.com "WritePort function", "EndDocPort function").
 *
 * A file destination on a working disk does not fail by itself, and Wine
 * has no per-process disk quota, so the write failure is injected: the test
 * finds the monitor's open temporary file among the process's handles and
 * closes it under the monitor, which makes its next WriteFile fail exactly
 * like a device that went away. */
#include "test.h"

#include <stdlib.h>
#include <wchar.h>

#include "monfix.h"

/* Close every handle of this process whose file lies in `dir`. */
static int close_files_in(const WCHAR *dir) {
  WCHAR path[MT_PATH * 2];
  const WCHAR *leaf = wcsrchr(dir, L'\\');
  int closed = 0;
  leaf = leaf ? leaf + 1 : dir;
  for (ULONG_PTR v = 4; v < 0x10000; v += 4) {
    HANDLE h = (HANDLE)v;
    if (GetFileType(h) != FILE_TYPE_DISK)
      continue;
    DWORD n = GetFinalPathNameByHandleW(h, path, MT_PATH * 2, 0);
    if (n == 0 || n >= MT_PATH * 2 || !wcsstr(path, leaf))
      continue;
    if (CloseHandle(h))
      closed++;
  }
  return closed;
}

static HANDLE open_port(mt_fx *f, const WCHAR *name) {
  HANDLE h = NULL;
  if (mt_add_file_port(f, name, f->dir) != ERROR_SUCCESS)
    return NULL;
  if (!f->m->pfnOpenPort(f->hmon, (LPWSTR)name, &h))
    return NULL;
  return h;
}

MT_TEST(failed_write_poisons_the_job_and_enddocport_leaves_no_file) {
  static BYTE chunk[4096];
  DOC_INFO_1W di = {(LPWSTR)L"doomed", NULL, (LPWSTR)L"RAW"};
  DWORD written = 0, err = 0;
  HANDLE port = open_port(f, L"PWF1:");
  ASSERT(port != NULL);
  mt_fill_pattern(chunk, sizeof chunk, 6);
  ASSERT(f->m->pfnStartDocPort(port, NULL, 0, 1, (LPBYTE)&di));
  ASSERT(f->m->pfnWritePort(port, chunk, sizeof chunk, &written));
  ASSERT_EQ(mt_count_entries(f->dir), 1); /* the temporary file */
  ASSERT_EQ(close_files_in(f->dir), 1);
  /* Whatever the monitor buffers, writing on must fail within 16 MB. */
  BOOL ok = TRUE;
  for (int i = 0; ok && i < 4096; i++) {
    written = 0xdeadbeef;
    ok = f->m->pfnWritePort(port, chunk, sizeof chunk, &written);
    err = GetLastError();
  }
  ASSERT(!ok);
  ASSERT_EQ(err, ERROR_WRITE_FAULT);
  ASSERT_EQ(written, 0);
  /* The job stays poisoned: later writes fail too, without writing. */
  written = 0xdeadbeef;
  SetLastError(0);
  ASSERT(!f->m->pfnWritePort(port, chunk, sizeof chunk, &written));
  ASSERT_EQ(GetLastError(), ERROR_WRITE_FAULT);
  ASSERT_EQ(written, 0);
  /* EndDocPort discards the job and reports the write error. */
  SetLastError(0);
  ASSERT(!f->m->pfnEndDocPort(port));
  ASSERT_EQ(GetLastError(), ERROR_WRITE_FAULT);
  ASSERT_EQ(mt_count_entries(f->dir), 0);
  /* The handle is usable again for the next job. */
  ASSERT(mt_print(f, port, L"next", chunk, sizeof chunk, 4096));
  ASSERT(f->m->pfnClosePort(port));
  ASSERT_EQ(mt_count_entries(f->dir), 1);
}

MT_TEST(startdocport_fails_when_the_destination_cannot_be_created) {
  WCHAR blocker[MT_PATH + 16], config[MT_PATH * 3];
  DOC_INFO_1W di = {(LPWSTR)L"blocked", NULL, (LPWSTR)L"RAW"};
  HANDLE port = NULL, file;
  /* The destination "directory" is an existing plain file. */
  _snwprintf(blocker, MT_PATH + 16, L"%ls\\blocker", f->dir);
  file = CreateFileW(blocker, GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL);
  ASSERT(file != INVALID_HANDLE_VALUE);
  CloseHandle(file);
  mt_file_config(blocker, config, MT_PATH * 3);
  ASSERT_EQ(mt_add_port_config(f, L"PWF2:", config), ERROR_SUCCESS);
  ASSERT(f->m->pfnOpenPort(f->hmon, (LPWSTR)L"PWF2:", &port));
  SetLastError(0);
  ASSERT(!f->m->pfnStartDocPort(port, NULL, 0, 1, (LPBYTE)&di));
  ASSERT(GetLastError() != ERROR_SUCCESS);
  /* No job was started: EndDocPort has nothing to end (it succeeds, as
   * with no document; Wine 8.0, observed with its localmon test) and
   * delivers nothing. */
  ASSERT(f->m->pfnEndDocPort(port));
  ASSERT(f->m->pfnClosePort(port));
  ASSERT_EQ(mt_count_entries(f->dir), 1); /* only the blocker */
}

/* Bytes in use in every heap of the process (HeapWalk). */
/* Bytes in use in the process's heaps, except `skip` (the test registry's
 * handle records: the monitor opens registry keys per job, and the test
 * registry keeps every handle record to catch use after close). */
static SIZE_T heap_in_use(HANDLE skip) {
  HANDLE heaps[64];
  DWORD n = GetProcessHeaps(64, heaps);
  SIZE_T total = 0;
  for (DWORD i = 0; i < n && i < 64; i++) {
    PROCESS_HEAP_ENTRY e;
    e.lpData = NULL;
    if (heaps[i] == skip)
      continue;
    if (!HeapLock(heaps[i]))
      continue;
    while (HeapWalk(heaps[i], &e))
      if (e.wFlags & PROCESS_HEAP_ENTRY_BUSY)
        total += e.cbData;
    HeapUnlock(heaps[i]);
  }
  return total;
}

static int run_jobs(mt_fx *f, HANDLE port, int count) {
  static const char data[] = "tiny job\n";
  for (int i = 0; i < count; i++) {
    CHECK_OR_RETURN(mt_print(f, port, L"leak", data, sizeof data - 1, 4096), 0);
    if (i % 250 == 249) { /* keep the directory small */
      mt_remove_tree(f->dir);
      CHECK_OR_RETURN(CreateDirectoryW(f->dir, NULL), 0);
    }
  }
  return 1;
}

/* EndDocPort frees what StartDocPort allocated: after a warm-up, thousands
 * of jobs (with open/close of the port between batches) leave the heaps
 * where they were, give or take allocator slack far below one leaked
 * allocation per job. */
MT_TEST(thousands_of_jobs_do_not_grow_the_heap) {
  enum { WARMUP = 100, JOBS = 3000, ROUNDS = 3 };
  HANDLE port = open_port(f, L"PWL1:");
  ASSERT(port != NULL);
  ASSERT(run_jobs(f, port, WARMUP));
  ASSERT(f->m->pfnClosePort(port));
  ASSERT(f->m->pfnOpenPort(f->hmon, (LPWSTR)L"PWL1:", &port));
  ASSERT(run_jobs(f, port, WARMUP));
  SIZE_T before = heap_in_use(memreg_handle_heap(f->reg));
  for (int r = 0; r < ROUNDS; r++) {
    ASSERT(run_jobs(f, port, JOBS / ROUNDS));
    ASSERT(f->m->pfnClosePort(port));
    ASSERT(f->m->pfnOpenPort(f->hmon, (LPWSTR)L"PWL1:", &port));
  }
  SIZE_T after = heap_in_use(memreg_handle_heap(f->reg));
  ASSERT(f->m->pfnClosePort(port));
  ASSERT(before > 0);
  /* 16 bytes per job would be 48 KB. */
  ASSERT((long long)after - (long long)before < 16 * 1024);
}

TEST_MAIN(
    TEST_ENTRY(failed_write_poisons_the_job_and_enddocport_leaves_no_file),
    TEST_ENTRY(startdocport_fails_when_the_destination_cannot_be_created),
    TEST_ENTRY(thousands_of_jobs_do_not_grow_the_heap))

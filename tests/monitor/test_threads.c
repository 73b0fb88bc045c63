/* portway.dll — concurrency: handles opened and closed from many threads,
 * parallel jobs on different ports, configuration changes while jobs run
 * (learn.microsoft.com "Port Monitor Server DLL Functions": the spooler
 * calls a port monitor from several threads at once). */
#include "test.h"

#include <stdlib.h>
#include <wchar.h>

#include "monfix.h"

#define THREADS 4

static int wait_all(HANDLE *threads, int n) {
  int ok =
      WaitForMultipleObjects((DWORD)n, threads, TRUE, 120000) == WAIT_OBJECT_0;
  for (int i = 0; i < n; i++) {
    DWORD code = 1;
    ok &= GetExitCodeThread(threads[i], &code) && code == 0;
    CloseHandle(threads[i]);
  }
  return ok;
}

/* ---- stale handles ---- */

enum { CHURN = 1500 };

typedef struct churn_ctx {
  mt_fx *f;
  const WCHAR *port;
  HANDLE opened[CHURN]; /* every handle this thread got */
} churn_ctx;

/* Open and close a port again and again; each closed handle must be dead
 * for every call while other threads keep creating new handles. */
static DWORD WINAPI churn(void *arg) {
  churn_ctx *c = arg;
  const MONITOR2 *m = c->f->m;
  BYTE buf[4] = {0};
  DWORD n;
  for (int i = 0; i < CHURN; i++) {
    HANDLE h = NULL;
    if (!m->pfnOpenPort(c->f->hmon, (LPWSTR)c->port, &h) || !h)
      return 1;
    c->opened[i] = h;
    if (!m->pfnClosePort(h))
      return 2;
    /* This one and an older stale handle must both be rejected. */
    HANDLE stale[2] = {h, c->opened[i / 2]};
    for (int s = 0; s < 2; s++) {
      SetLastError(0);
      if (m->pfnClosePort(stale[s]) || GetLastError() != ERROR_INVALID_HANDLE)
        return 3;
      if (m->pfnWritePort(stale[s], buf, sizeof buf, &n) ||
          GetLastError() != ERROR_INVALID_HANDLE)
        return 4;
      if (m->pfnEndDocPort(stale[s]) || GetLastError() != ERROR_INVALID_HANDLE)
        return 5;
    }
  }
  return 0;
}

static int handle_cmp(const void *a, const void *b) {
  ULONG_PTR x = (ULONG_PTR) * (const HANDLE *)a;
  ULONG_PTR y = (ULONG_PTR) * (const HANDLE *)b;
  return x < y ? -1 : x > y;
}

MT_TEST(stale_handles_never_match_live_ones_across_threads) {
  static churn_ctx ctx[THREADS];
  HANDLE threads[THREADS];
  const WCHAR *ports[THREADS] = {L"PWT1:", L"PWT2:", L"PWT1:", L"PWT2:"};
  HANDLE *all = malloc(sizeof(HANDLE) * THREADS * CHURN);
  ASSERT(all != NULL);
  ASSERT_EQ(mt_add_file_port(f, L"PWT1:", f->dir), ERROR_SUCCESS);
  ASSERT_EQ(mt_add_file_port(f, L"PWT2:", f->dir), ERROR_SUCCESS);
  for (int i = 0; i < THREADS; i++) {
    ctx[i].f = f;
    ctx[i].port = ports[i];
    threads[i] = CreateThread(NULL, 0, churn, &ctx[i], 0, NULL);
    ASSERT(threads[i] != NULL);
  }
  int ok = wait_all(threads, THREADS);
  /* No handle value was ever handed out twice. */
  for (int i = 0; i < THREADS; i++)
    memcpy(all + i * CHURN, ctx[i].opened, sizeof ctx[i].opened);
  qsort(all, THREADS * CHURN, sizeof *all, handle_cmp);
  int unique = 1;
  for (int i = 1; i < THREADS * CHURN; i++)
    unique &= all[i] != all[i - 1];
  free(all);
  ASSERT(ok);
  ASSERT(unique);
}

/* ---- parallel jobs ---- */

enum { JOBS_PER_THREAD = 8, JOB_BYTES = 200 * 1024 + 77 };

typedef struct job_ctx {
  mt_fx *f;
  WCHAR port[16];
  WCHAR dir[MT_PATH];
  unsigned seed;
} job_ctx;

static DWORD WINAPI print_jobs(void *arg) {
  job_ctx *c = arg;
  BYTE *data = malloc(JOB_BYTES);
  HANDLE h = NULL;
  DWORD rc = 0;
  if (!data || !c->f->m->pfnOpenPort(c->f->hmon, c->port, &h))
    rc = 1;
  for (int i = 0; rc == 0 && i < JOBS_PER_THREAD; i++) {
    mt_fill_pattern(data, JOB_BYTES, c->seed + (unsigned)i);
    if (!mt_print(c->f, h, L"parallel", data, JOB_BYTES, 4096))
      rc = 2;
  }
  if (h && !c->f->m->pfnClosePort(h))
    rc = 3;
  free(data);
  return rc;
}

/* Every file in `dir` is one of the thread's jobs, not seen before (seen[]
 * counts across calls); returns the number of files, -1 on a bad one.
 * Subdirectories other than the (empty) temporary folder are skipped: they
 * are other ports' output directories. */
static int check_dir(const job_ctx *c, const WCHAR *dir, int *seen) {
  WCHAR pattern[MT_PATH + 4], path[MT_PATH * 2];
  WIN32_FIND_DATAW fd;
  BYTE *expect = malloc(JOB_BYTES);
  int files = 0, ok = expect != NULL;
  _snwprintf(pattern, MT_PATH + 4, L"%ls\\*", dir);
  HANDLE find = FindFirstFileW(pattern, &fd);
  if (find == INVALID_HANDLE_VALUE)
    ok = 0;
  while (ok && find != INVALID_HANDLE_VALUE) {
    /* Every entry but the (empty) temporary folder must be a whole job. */
    int is_dir = (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
    if (is_dir && !wcscmp(fd.cFileName, L".portway")) {
      WCHAR sub[MT_PATH * 2];
      _snwprintf(sub, MT_PATH * 2, L"%ls\\.portway", dir);
      ok = mt_count_entries(sub) == 0;
    } else if (!is_dir) {
      BYTE *got = NULL;
      size_t len = 0;
      files++;
      _snwprintf(path, MT_PATH * 2, L"%ls\\%ls", dir, fd.cFileName);
      ok = mt_read_file(path, &got, &len) && len == JOB_BYTES;
      int match = -1;
      for (int i = 0; ok && match < 0 && i < JOBS_PER_THREAD; i++) {
        mt_fill_pattern(expect, JOB_BYTES, c->seed + (unsigned)i);
        if (memcmp(got, expect, JOB_BYTES) == 0)
          match = i;
      }
      ok = ok && match >= 0 && !seen[match]++;
      free(got);
    }
    if (!FindNextFileW(find, &fd))
      break;
  }
  if (find != INVALID_HANDLE_VALUE)
    FindClose(find);
  free(expect);
  return ok ? files : -1;
}

/* Every file in c->dir is one of the thread's jobs, each exactly once. */
static int check_outputs(const job_ctx *c) {
  int seen[JOBS_PER_THREAD] = {0};
  return check_dir(c, c->dir, seen) == JOBS_PER_THREAD;
}

MT_TEST(jobs_on_different_ports_run_in_parallel_intact) {
  static job_ctx ctx[THREADS];
  HANDLE threads[THREADS];
  for (int i = 0; i < THREADS; i++) {
    ctx[i].f = f;
    _snwprintf(ctx[i].port, 16, L"PWP%d:", i);
    ASSERT(mt_make_dir(f->dir, ctx[i].dir, MT_PATH));
    ctx[i].seed = 1000u * (unsigned)(i + 1);
    ASSERT_EQ(mt_add_file_port(f, ctx[i].port, ctx[i].dir), ERROR_SUCCESS);
  }
  for (int i = 0; i < THREADS; i++) {
    threads[i] = CreateThread(NULL, 0, print_jobs, &ctx[i], 0, NULL);
    ASSERT(threads[i] != NULL);
  }
  ASSERT(wait_all(threads, THREADS));
  for (int i = 0; i < THREADS; i++)
    ASSERT(check_outputs(&ctx[i]));
}

/* ---- configuration churn while printing ---- */

typedef struct admin_ctx {
  mt_fx *f;
  volatile LONG stop;
} admin_ctx;

/* Add, enumerate, reconfigure and delete ports while jobs run; every call
 * must succeed. */
static DWORD WINAPI administer(void *arg) {
  admin_ctx *c = arg;
  WCHAR config[MT_PATH * 3];
  mt_file_config(c->f->dir, config, MT_PATH * 3);
  for (int i = 0; !InterlockedCompareExchange(&c->stop, 0, 0); i++) {
    WCHAR name[16];
    int found = 0;
    _snwprintf(name, 16, L"PWZ%d:", i % 8);
    if (mt_add_port_config(c->f, name, config) != ERROR_SUCCESS)
      return 1;
    /* PWP0:, PWP1: and the one just added. */
    if (mt_enum_count(c->f, name, &found) != 3 || !found)
      return 2;
    BYTE in[4096];
    DWORD cb = mt_strings(L"PWP0:", config, in, sizeof in);
    if (mt_xcv(c->f, PWM_TEST_MONITOR, SERVER_ACCESS_ADMINISTER, L"SetConfig",
               in, cb, NULL, 0, NULL) != ERROR_SUCCESS)
      return 3;
    if (mt_delete_port(c->f, name) != ERROR_SUCCESS)
      return 4;
  }
  return 0;
}

MT_TEST(ports_can_be_administered_while_jobs_run) {
  static job_ctx ctx[2];
  static admin_ctx admin;
  HANDLE threads[3];
  for (int i = 0; i < 2; i++) {
    ctx[i].f = f;
    _snwprintf(ctx[i].port, 16, L"PWP%d:", i);
    ctx[i].seed = 77u * (unsigned)(i + 1);
    ASSERT(mt_make_dir(f->dir, ctx[i].dir, MT_PATH));
    ASSERT_EQ(mt_add_file_port(f, ctx[i].port, ctx[i].dir), ERROR_SUCCESS);
  }
  admin.f = f;
  admin.stop = 0;
  threads[2] = CreateThread(NULL, 0, administer, &admin, 0, NULL);
  ASSERT(threads[2] != NULL);
  for (int i = 0; i < 2; i++)
    threads[i] = CreateThread(NULL, 0, print_jobs, &ctx[i], 0, NULL);
  int printed =
      WaitForMultipleObjects(2, threads, TRUE, 120000) == WAIT_OBJECT_0;
  InterlockedExchange(&admin.stop, 1);
  ASSERT(printed);
  ASSERT(wait_all(threads, 3));
  /* PWP0: was reconfigured to write into f->dir, so its jobs may be in
   * either directory, but together they are all there, each once; PWP1:'s
   * are all in its own. */
  int seen[JOBS_PER_THREAD] = {0};
  int in_own = check_dir(&ctx[0], ctx[0].dir, seen);
  int in_parent = check_dir(&ctx[0], f->dir, seen);
  ASSERT(in_own >= 0);
  ASSERT(in_parent >= 0);
  ASSERT_EQ(in_own + in_parent, JOBS_PER_THREAD);
  ASSERT(check_outputs(&ctx[1]));
  ASSERT_EQ(memreg_open_handles(f->reg), 0);
}

TEST_MAIN(TEST_ENTRY(stale_handles_never_match_live_ones_across_threads),
          TEST_ENTRY(jobs_on_different_ports_run_in_parallel_intact),
          TEST_ENTRY(ports_can_be_administered_while_jobs_run))

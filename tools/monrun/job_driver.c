/* monrun — the job driver: the spooler's call sequence for print jobs.
 *
 *   OpenPort -> StartDocPort(level 1, DOC_INFO_1 {doc, pOutputFile, "RAW"})
 *   -> WritePort x N (fixed chunks, 4096 like Wine's winprint; each must
 *   report *pcbWritten == chunk) -> EndDocPort -> ClosePort
 *
 * "print" runs one job, "print-many" runs jobs on several threads (one port
 * handle per thread, as a spooler runs one queue per port), "bench-jobs"
 * times many tiny sequential jobs.
 */
#include "monrun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define PROGRESS_BYTES (64ull * 1024 * 1024)

typedef struct job_spec {
  const wchar_t *doc_name;
  const wchar_t *output_file; /* after {job} substitution */
  const wchar_t *port;        /* for messages */
  DWORD job_id;               /* StartDocPort JobId */
  int progress;               /* print progress lines on stderr */
} job_spec;

typedef struct job_err {
  DWORD code;
  char text[400];
} job_err;

static void set_err(job_err *err, DWORD code, const char *what,
                    const wchar_t *port) {
  char e[300], p8[300];
  err->code = code ? code : ERROR_GEN_FAILURE;
  snprintf(err->text, sizeof err->text, "%s(%s) failed: %s", what,
           mr_u8(port, p8, sizeof p8), mr_errstr(code, e, sizeof e));
}

static DWORD open_port(mr_monitor *mon, const wchar_t *port, HANDLE *h,
                       job_err *err) {
  BOOL ok = mr_open_port(mon, port, h);
  DWORD code = GetLastError();
  if (ok && !*h)
    mr_warn_once("OpenPort returned TRUE but left *pHandle NULL");
  if (!ok && *h)
    mr_warn_once("OpenPort returned FALSE but wrote a handle (Wine's "
                 "spooler would use it)");
  if (!ok || !*h) {
    set_err(err, code, "OpenPort", port);
    return err->code;
  }
  return ERROR_SUCCESS;
}

static void close_port(mr_monitor *mon, HANDLE h, const wchar_t *port,
                       job_err *err) {
  if (!mr_close_port(mon, h) && err->code == ERROR_SUCCESS)
    set_err(err, GetLastError(), "ClosePort", port);
}

/* StartDocPort .. EndDocPort on an open handle. *bytes counts what the
 * monitor accepted. Returns 0 or a Win32 code with err filled. */
static DWORD run_job(mr_monitor *mon, HANDLE h, const mr_opts *o,
                     const job_spec *js, mr_source *src, BYTE *buf,
                     uint64_t *bytes, job_err *err) {
  DOC_INFO_1W di;
  di.pDocName = (LPWSTR)js->doc_name;
  di.pOutputFile = (LPWSTR)js->output_file;
  di.pDatatype = (LPWSTR)(o->datatype ? o->datatype : L"RAW");
  *bytes = 0;
  if (!mr_start_doc(mon, h, o->printer, js->job_id, &di)) {
    set_err(err, GetLastError(), "StartDocPort", js->port);
    return err->code;
  }
  if (!(mon->legacy ? (void *)mon->m1.pfnWritePort
                    : (void *)mon->m2.pfnWritePort)) {
    set_err(err, ERROR_NOT_SUPPORTED, "WritePort", js->port);
    mr_end_doc(mon, h);
    return err->code;
  }

  double t0 = mr_now(), last = t0;
  uint64_t next_report = PROGRESS_BYTES;
  unsigned chunks = 0;
  for (;;) {
    DWORD got = 0, written = 0;
    BYTE *data;
    DWORD rc = mr_source_read(src, buf, o->chunk, &got, &data);
    if (rc != ERROR_SUCCESS) {
      set_err(err, rc, "reading job data for", js->port);
      break;
    }
    if (got == 0)
      break;
    if (!mr_write_port(mon, h, data, got, &written)) {
      set_err(err, GetLastError(), "WritePort", js->port);
      break;
    }
    if (written != got) {
      /* winprint aborts the job on a short count; so do we. */
      char p8[300];
      err->code = ERROR_WRITE_FAULT;
      snprintf(err->text, sizeof err->text,
               "WritePort(%s) reported %lu of %lu bytes written",
               mr_u8(js->port, p8, sizeof p8), (unsigned long)written,
               (unsigned long)got);
      break;
    }
    *bytes += got;
    if (js->progress && (++chunks & 63) == 0) {
      double now = mr_now();
      if (*bytes >= next_report || now - last >= 1.0) {
        mr_err("%.0f MB written, %.1f MB/s", (double)*bytes / MR_MB,
               (double)*bytes / MR_MB / (now - t0));
        last = now;
        while (next_report <= *bytes)
          next_report += PROGRESS_BYTES;
      }
    }
  }
  /* The spooler ends the job even after a failed write, so the monitor can
   * discard it; a failure here only matters if the job was good so far. */
  if (!mr_end_doc(mon, h) && err->code == ERROR_SUCCESS)
    set_err(err, GetLastError(), "EndDocPort", js->port);
  return err->code;
}

/* Replace every "{job}" in tmpl by n. NULL tmpl gives NULL. */
static wchar_t *expand_job(const wchar_t *tmpl, uint64_t n) {
  if (!tmpl)
    return NULL;
  wchar_t num[24];
  swprintf(num, sizeof num / sizeof num[0], L"%llu", (unsigned long long)n);
  size_t count = 0, len = wcslen(tmpl), nl = wcslen(num);
  for (const wchar_t *p = tmpl; (p = wcsstr(p, L"{job}")); p += 5)
    count++;
  wchar_t *out = malloc((len + count * nl + 1) * sizeof *out), *o = out;
  if (!out)
    return NULL;
  for (const wchar_t *p = tmpl; *p;) {
    if (wcsncmp(p, L"{job}", 5) == 0) {
      memcpy(o, num, nl * sizeof *o);
      o += nl;
      p += 5;
    } else {
      *o++ = *p++;
    }
  }
  *o = 0;
  return out;
}

/* Jobs of print-many/bench-jobs get consecutive ids from --job (0 stays 0,
 * like Wine's job path). */
static DWORD job_id_for(const mr_opts *o, uint64_t j) {
  return o->job_id ? (DWORD)(o->job_id + j) : 0;
}

static const wchar_t *base_name(const wchar_t *path) {
  const wchar_t *b = path;
  for (const wchar_t *p = path; *p; p++)
    if (*p == L'\\' || *p == L'/')
      b = p + 1;
  return b;
}

static DWORD open_source(const mr_opts *o, const wchar_t *file, mr_source *src,
                         job_err *err) {
  DWORD rc = o->have_synthetic
                 ? mr_source_open_synthetic(src, o->synthetic, o->chunk)
                 : mr_source_open_file(src, file);
  if (rc != ERROR_SUCCESS)
    set_err(err, rc, "opening input", o->have_synthetic ? L"synthetic" : file);
  return rc;
}

int mr_cmd_print(mr_monitor *mon, const mr_opts *o, const wchar_t *port,
                 const wchar_t *file) {
  job_err err = {0};
  mr_source src;
  HANDLE h = NULL;
  uint64_t bytes = 0, peak0 = 0, cur0 = 0, peak1 = 0, cur1 = 0;
  BYTE *buf = malloc(o->chunk);
  job_spec js = {
      .doc_name = o->doc_name ? o->doc_name
                  : file      ? base_name(file)
                              : L"monrun synthetic job",
      .output_file = o->output_file,
      .port = port,
      .job_id = o->job_id,
      .progress = mr_verbose > 0 || mr_stderr_is_console(),
  };
  if (!buf) {
    mr_err("out of memory");
    return MR_EXIT_FAILED;
  }
  if (open_source(o, file, &src, &err) != ERROR_SUCCESS) {
    mr_err("%s", err.text);
    mr_source_close(&src);
    free(buf);
    return MR_EXIT_FAILED;
  }
  double t0 = mr_now();
  if (open_port(mon, port, &h, &err) == ERROR_SUCCESS) {
    mr_memory(&peak0, &cur0);
    run_job(mon, h, o, &js, &src, buf, &bytes, &err);
    mr_memory(&peak1, &cur1);
    close_port(mon, h, port, &err);
  }
  double secs = mr_now() - t0;
  mr_source_close(&src);
  free(buf);
  if (err.code != ERROR_SUCCESS) {
    mr_err("%s", err.text);
    return MR_EXIT_FAILED;
  }
  mr_out("printed %llu bytes in %.3f s, %.1f MB/s", (unsigned long long)bytes,
         secs, secs > 0 ? (double)bytes / MR_MB / secs : 0.0);
  if (o->mem)
    mr_out("memory: peak working set %llu bytes before the job, %llu after "
           "(growth %lld bytes); working set %llu -> %llu",
           (unsigned long long)peak0, (unsigned long long)peak1,
           (long long)(peak1 - peak0), (unsigned long long)cur0,
           (unsigned long long)cur1);
  return MR_EXIT_OK;
}

/* ---- print-many ---- */

typedef struct many_ctx {
  mr_monitor *mon;
  const mr_opts *o;
  const wchar_t *file;
  wchar_t **ports;
  unsigned nports;
  unsigned nthreads;
  HANDLE go;       /* manual-reset event: all threads start together */
  job_err *errs;   /* one per job */
  uint64_t *bytes; /* one per job */
} many_ctx;

typedef struct many_thread {
  many_ctx *ctx;
  unsigned index;
  HANDLE thread;
} many_thread;

static DWORD WINAPI many_worker(void *arg) {
  many_thread *t = arg;
  many_ctx *c = t->ctx;
  const wchar_t *port = c->ports[t->index % c->nports];
  BYTE *buf = malloc(c->o->chunk);
  HANDLE h = NULL;
  job_err open_err = {0};

  WaitForSingleObject(c->go, INFINITE);
  if (!buf)
    set_err(&open_err, ERROR_NOT_ENOUGH_MEMORY, "allocating for", port);
  else
    open_port(c->mon, port, &h, &open_err);
  for (uint64_t j = t->index; j < c->o->jobs; j += c->nthreads) {
    job_err *err = &c->errs[j];
    mr_source src;
    memset(&src, 0, sizeof src); /* closing a zeroed source is a no-op */
    if (open_err.code != ERROR_SUCCESS) {
      *err = open_err;
      continue;
    }
    wchar_t *out = expand_job(c->o->output_file, j);
    wchar_t *doc = expand_job(c->o->doc_name, j);
    job_spec js = {.doc_name = doc       ? doc
                               : c->file ? base_name(c->file)
                                         : L"monrun synthetic job",
                   .output_file = out,
                   .port = port,
                   .job_id = job_id_for(c->o, j)};
    if ((c->o->output_file && !out) || (c->o->doc_name && !doc))
      set_err(err, ERROR_NOT_ENOUGH_MEMORY, "allocating for", port);
    else if (open_source(c->o, c->file, &src, err) == ERROR_SUCCESS)
      run_job(c->mon, h, c->o, &js, &src, buf, &c->bytes[j], err);
    mr_source_close(&src);
    free(out);
    free(doc);
  }
  if (h) {
    job_err close_err = {0};
    close_port(c->mon, h, port, &close_err);
    if (close_err.code != ERROR_SUCCESS)
      mr_err("%s", close_err.text);
  }
  free(buf);
  return 0;
}

/* Split "P1,P2" into a NULL-terminated array (one allocation each). */
static wchar_t **split_ports(const wchar_t *list, unsigned *n) {
  size_t count = 1;
  for (const wchar_t *p = list; *p; p++)
    count += *p == L',';
  wchar_t **v = calloc(count + 1, sizeof *v);
  if (!v)
    return NULL;
  *n = 0;
  const wchar_t *start = list;
  for (const wchar_t *p = list;; p++) {
    if (*p == L',' || *p == 0) {
      size_t len = (size_t)(p - start);
      if (len > 0) {
        v[*n] = malloc((len + 1) * sizeof(wchar_t));
        if (!v[*n])
          break;
        memcpy(v[*n], start, len * sizeof(wchar_t));
        v[*n][len] = 0;
        (*n)++;
      }
      if (*p == 0)
        break;
      start = p + 1;
    }
  }
  return v;
}

static void free_ports(wchar_t **v) {
  for (size_t i = 0; v && v[i]; i++)
    free(v[i]);
  free(v);
}

int mr_cmd_print_many(mr_monitor *mon, const mr_opts *o, const wchar_t *ports,
                      const wchar_t *file) {
  many_ctx c = {.mon = mon, .o = o, .file = file};
  int rc = MR_EXIT_OK;
  if (o->jobs == 0 || o->jobs > 1000000) {
    mr_err("print-many needs --jobs 1..1000000");
    return MR_EXIT_USAGE;
  }
  c.ports = split_ports(ports, &c.nports);
  if (!c.ports || c.nports == 0) {
    free_ports(c.ports);
    mr_err("no port given");
    return MR_EXIT_USAGE;
  }
  c.nthreads = o->threads ? o->threads : c.nports;
  if (c.nthreads > 64)
    c.nthreads = 64;
  if (c.nthreads > o->jobs)
    c.nthreads = (unsigned)o->jobs;
  if (c.nthreads > c.nports)
    mr_info(1,
            "%u threads on %u ports: several handles are open on one "
            "port at once (a spooler never does that)",
            c.nthreads, c.nports);
  c.errs = calloc((size_t)o->jobs, sizeof *c.errs);
  c.bytes = calloc((size_t)o->jobs, sizeof *c.bytes);
  many_thread *t = calloc(c.nthreads, sizeof *t);
  c.go = CreateEventW(NULL, TRUE, FALSE, NULL);
  if (!c.errs || !c.bytes || !t || !c.go) {
    mr_err("out of memory");
    rc = MR_EXIT_FAILED;
    goto out;
  }
  unsigned started = 0;
  for (; started < c.nthreads; started++) {
    t[started].ctx = &c;
    t[started].index = started;
    t[started].thread =
        CreateThread(NULL, 0, many_worker, &t[started], 0, NULL);
    if (!t[started].thread)
      break;
  }
  if (started < c.nthreads) {
    /* Threads that did not start: their jobs count as failed. */
    char e[300];
    mr_err("CreateThread failed: %s", mr_errstr(GetLastError(), e, sizeof e));
    for (uint64_t j = 0; j < o->jobs; j++)
      if (j % c.nthreads >= started)
        c.errs[j].code = ERROR_NOT_ENOUGH_MEMORY;
    rc = MR_EXIT_FAILED;
  }
  double t0 = mr_now();
  SetEvent(c.go);
  for (unsigned i = 0; i < started; i++) {
    WaitForSingleObject(t[i].thread, INFINITE);
    CloseHandle(t[i].thread);
  }
  double secs = mr_now() - t0;

  uint64_t failed = 0, total = 0;
  for (uint64_t j = 0; j < o->jobs; j++) {
    total += c.bytes[j];
    if (c.errs[j].code != ERROR_SUCCESS) {
      if (failed < 10 && c.errs[j].text[0])
        mr_err("job %llu: %s", (unsigned long long)j, c.errs[j].text);
      failed++;
    }
  }
  if (failed) {
    mr_err("%llu of %llu jobs failed", (unsigned long long)failed,
           (unsigned long long)o->jobs);
    rc = MR_EXIT_FAILED;
  } else {
    mr_out("printed %llu jobs (%llu bytes) on %u ports with %u threads in "
           "%.3f s: %.1f jobs/s, %.1f MB/s",
           (unsigned long long)o->jobs, (unsigned long long)total, c.nports,
           c.nthreads, secs, secs > 0 ? (double)o->jobs / secs : 0.0,
           secs > 0 ? (double)total / MR_MB / secs : 0.0);
  }
out:
  if (c.go)
    CloseHandle(c.go);
  free(t);
  free(c.errs);
  free(c.bytes);
  free_ports(c.ports);
  return rc;
}

/* ---- bench-jobs ---- */

int mr_cmd_bench_jobs(mr_monitor *mon, const mr_opts *o, const wchar_t *port) {
  job_err err = {0};
  mr_source src;
  HANDLE h = NULL;
  uint64_t total = o->warmup + o->jobs, bytes = 0, timed_bytes = 0;
  double t0 = 0;
  BYTE *buf = malloc(o->chunk);
  if (o->jobs == 0) {
    free(buf);
    mr_err("bench-jobs needs --jobs N (N > 0)");
    return MR_EXIT_USAGE;
  }
  if (!buf ||
      mr_source_open_synthetic(&src, o->size, o->chunk) != ERROR_SUCCESS) {
    free(buf);
    mr_err("out of memory");
    return MR_EXIT_FAILED;
  }
  if (!o->reopen)
    open_port(mon, port, &h, &err);
  if (o->warmup == 0)
    t0 = mr_now();
  for (uint64_t j = 0; j < total && err.code == ERROR_SUCCESS; j++) {
    if (j == o->warmup && o->warmup > 0)
      t0 = mr_now();
    wchar_t *out = expand_job(o->output_file, j);
    wchar_t *doc = expand_job(o->doc_name, j);
    job_spec js = {.doc_name = doc ? doc : L"monrun bench job",
                   .output_file = out,
                   .port = port,
                   .job_id = job_id_for(o, j)};
    /* Rewind the synthetic source: every job carries the same bytes. */
    src.remaining = o->size;
    src.pos = 0;
    if ((o->output_file && !out) || (o->doc_name && !doc))
      set_err(&err, ERROR_NOT_ENOUGH_MEMORY, "allocating for", port);
    else if (!o->reopen || open_port(mon, port, &h, &err) == ERROR_SUCCESS) {
      run_job(mon, h, o, &js, &src, buf, &bytes, &err);
      if (o->reopen) {
        close_port(mon, h, port, &err);
        h = NULL;
      }
    }
    if (j >= o->warmup)
      timed_bytes += bytes;
    free(out);
    free(doc);
  }
  double secs = mr_now() - t0;
  if (h)
    close_port(mon, h, port, &err);
  mr_source_close(&src);
  free(buf);
  if (err.code != ERROR_SUCCESS) {
    mr_err("%s", err.text);
    return MR_EXIT_FAILED;
  }
  mr_out("%llu jobs of %llu bytes in %.3f s: %.1f us/job, %.0f jobs/s%s",
         (unsigned long long)o->jobs, (unsigned long long)o->size, secs,
         secs * 1e6 / (double)o->jobs, (double)o->jobs / secs,
         o->reopen ? " (OpenPort/ClosePort per job)" : "");
  mr_info(1, "%llu bytes accepted in timed jobs",
          (unsigned long long)timed_bytes);
  return MR_EXIT_OK;
}

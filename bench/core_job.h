/* portway bench — one job through portway's core as the spooler drives the
 * DLL (OpenPort, StartDocPort, WritePort in CHUNK pieces, EndDocPort,
 * ClosePort), natively, with the job FILE mapped into memory (no read()
 * per piece). Its pages are faulted in as WritePort reads them (with the
 * kernel's fault-around: one fault per 16 pages under MADV_SEQUENTIAL),
 * overlapped with the destination's work, as a spooler reading its spool
 * file overlaps; measured, that is faster in and outside the window than
 * pre-faulting all of it first (MAP_POPULATE, which PW_BENCH_POPULATE=1
 * brings back, and which the figures before 2026-11-30 used). Shared by
 * raw_core, lpd_core, ipp_core and pipe_core; not a test. */
#ifndef PORTWAY_BENCH_CORE_JOB_H
#define PORTWAY_BENCH_CORE_JOB_H

#include <stddef.h>

typedef struct bench_job {
  unsigned long long bytes;       /* what WritePort took */
  double start_s, write_s, end_s; /* StartDocPort, the WritePorts, EndDocPort */
} bench_job;

/* The port's configuration text: "uri=URI\n" (when uri is not NULL) and
 * each of lines[0..n) with a newline. 0, or -1 if it does not fit cap. */
int bench_config(char *cfg, size_t cap, const char *uri, char **lines, int n);

/* Run the job (document doc_name) on a port with configuration cfg; the
 * monitor's data folder
 * is $PW_BENCH_DATA_DIR, else data_dir. 0, or 1 with the cause on stderr
 * (prefixed with tool). */
int bench_core_job(const char *tool, const char *cfg, const char *file,
                   size_t chunk, const char *doc_name, const char *data_dir,
                   bench_job *out);

/* "<bytes> bytes in <s> s: <MB/s> MB/s" (MB = 2^20), timed from
 * StartDocPort to the return of EndDocPort; with phases, followed by
 * " (start <ms> ms, write <ms> ms, end <ms> ms)". */
void bench_print(const bench_job *j, int phases);

#endif

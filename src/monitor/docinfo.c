/* portway — what StartDocPort learns about a job: document name and
 * datatype from DOC_INFO_1/2, user and machine from the spooler's job
 * record (GetJob level 1) when printer and job id are known, otherwise from
 * the calling process (Wine runs the job path in the printing application,
 * so that is the submitting user there).
 *
 * Caller strings are bounded (PWM_MAX_STRING) and strictly decoded: a bad
 * one fails the call with ERROR_INVALID_PARAMETER. Strings from GetJob are
 * the spooler's own; a malformed one is merely ignored. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "monitor/front.h"

#define JOB_INFO_MAX (64 * 1024) /* bytes accepted from GetJob */

/* A JOB_INFO_1W string must lie inside the buffer GetJob filled. */
static char *job_string(const BYTE *buf, DWORD size, const WCHAR *s) {
  char *out = NULL;
  const BYTE *p = (const BYTE *)s;
  if (!s || p < buf || p >= buf + size)
    return NULL;
  size_t room = (size_t)(buf + size - p) / sizeof(WCHAR);
  if (room > PWM_MAX_STRING)
    room = PWM_MAX_STRING;
  if (pwm_wide_to_utf8(s, room, &out) != PW_OK)
    return NULL;
  return out;
}

/* "\\MACHINE" -> "MACHINE": the spooler reports clients UNC-style. */
static void strip_unc(char *s) {
  size_t skip = 0;
  while (s && s[skip] == '\\')
    skip++;
  if (skip)
    memmove(s, s + skip, strlen(s + skip) + 1);
}

static void from_job(const WCHAR *printer, DWORD job_id, pwm_doc *doc) {
  HANDLE h = NULL;
  DWORD needed = 0;
  BYTE *buf = NULL;
  if (!OpenPrinterW((LPWSTR)printer, &h, NULL))
    return;
  if (!GetJobW(h, job_id, 1, NULL, 0, &needed) &&
      GetLastError() == ERROR_INSUFFICIENT_BUFFER &&
      needed >= sizeof(JOB_INFO_1W) && needed <= JOB_INFO_MAX &&
      (buf = malloc(needed)) != NULL &&
      GetJobW(h, job_id, 1, buf, needed, &needed)) {
    JOB_INFO_1W ji;
    memcpy(&ji, buf, sizeof ji);
    doc->user = job_string(buf, needed, ji.pUserName);
    doc->machine = job_string(buf, needed, ji.pMachineName);
    strip_unc(doc->machine);
    if (!doc->doc_name)
      doc->doc_name = job_string(buf, needed, ji.pDocument);
  }
  free(buf);
  ClosePrinter(h);
}

/* This computer's name, read once per process: GetComputerNameW reads the
 * registry, which cost ~100 us per job under Wine (docs/performance.md).
 * Written once under InitOnce, read-only afterwards. */
static INIT_ONCE g_computer_once = INIT_ONCE_STATIC_INIT;
static WCHAR g_computer[MAX_COMPUTERNAME_LENGTH + 1];

static BOOL CALLBACK read_computer_name(PINIT_ONCE once, PVOID param,
                                        PVOID *ctx) {
  DWORD n = sizeof g_computer / sizeof g_computer[0];
  (void)once;
  (void)param;
  (void)ctx;
  if (!GetComputerNameW(g_computer, &n))
    g_computer[0] = L'\0';
  return TRUE;
}

static void from_process(pwm_doc *doc) {
  WCHAR name[512];
  DWORD n = sizeof name / sizeof name[0];
  if (!doc->user && GetUserNameW(name, &n))
    pwm_wide_to_utf8(name, sizeof name / sizeof name[0], &doc->user);
  if (!doc->machine &&
      InitOnceExecuteOnce(&g_computer_once, read_computer_name, NULL, NULL) &&
      g_computer[0])
    pwm_wide_to_utf8(g_computer, sizeof g_computer / sizeof g_computer[0],
                     &doc->machine);
}

DWORD pwm_doc_collect(const WCHAR *printer, DWORD job_id, DWORD level,
                      const BYTE *info, pwm_doc *doc) {
  DOC_INFO_1W di; /* DOC_INFO_2W starts with the same three strings */
  memset(doc, 0, sizeof *doc);
  if (level != 1 && level != 2)
    return ERROR_INVALID_LEVEL;
  if (!info)
    return ERROR_INVALID_PARAMETER;
  memcpy(&di, info, sizeof di);
  int rc = pwm_wide_to_utf8_opt(printer, PWM_MAX_STRING, &doc->printer);
  if (rc == PW_OK)
    rc = pwm_wide_to_utf8_opt(di.pDocName, PWM_MAX_STRING, &doc->doc_name);
  if (rc == PW_OK)
    rc = pwm_wide_to_utf8_opt(di.pDatatype, PWM_MAX_STRING, &doc->datatype);
  if (rc != PW_OK) {
    pwm_doc_free(doc);
    return pwm_arg_error(rc);
  }
  if (printer && job_id)
    from_job(printer, job_id, doc);
  from_process(doc);
  return ERROR_SUCCESS;
}

void pwm_doc_free(pwm_doc *doc) {
  free(doc->printer);
  free(doc->doc_name);
  free(doc->user);
  free(doc->machine);
  free(doc->datatype);
  memset(doc, 0, sizeof *doc);
}

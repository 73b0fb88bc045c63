/* portway.dll — OpenPort, StartDocPort, WritePort, ReadPort, EndDocPort,
 * ClosePort, SetPortTimeOuts: jobs, handle states and bad input
 * (learn.microsoft.com "OpenPort function", "StartDocPort function",
 * "WritePort function", "ReadPort function", "EndDocPort function",
 * "ClosePort function", "SetPortTimeOuts function"; Wine 8.0, observed). */
#include "test.h"

#include <stdlib.h>
#include <wchar.h>

#include "monfix.h"

#define DEADBEEF ((HANDLE)(ULONG_PTR)0xdeadbeef)
#define PWM_HUGE 5000 /* units: longer than the monitor accepts (4096) */

static HANDLE open_port(mt_fx *f, const WCHAR *name) {
  HANDLE h = NULL;
  if (mt_add_file_port(f, name, f->dir) != ERROR_SUCCESS)
    return NULL;
  if (!f->m->pfnOpenPort(f->hmon, (LPWSTR)name, &h))
    return NULL;
  return h;
}

static BOOL start_doc(mt_fx *f, HANDLE port, const WCHAR *doc) {
  DOC_INFO_1W di = {(LPWSTR)doc, NULL, (LPWSTR)L"RAW"};
  return f->m->pfnStartDocPort(port, NULL, 0, 1, (LPBYTE)&di);
}

/* ---- OpenPort ---- */

MT_TEST(openport_unknown_port_fails_and_leaves_handle_untouched) {
  HANDLE h = DEADBEEF;
  SetLastError(0);
  ASSERT(!f->m->pfnOpenPort(f->hmon, (LPWSTR)L"NOSUCH:", &h));
  ASSERT_EQ(GetLastError(), ERROR_UNKNOWN_PORT);
  ASSERT(h == DEADBEEF);
}

MT_TEST(openport_rejects_null_and_malformed_names) {
  static const WCHAR lone_surrogate[] = {'P', 'W', 0xD800, ':', 0};
  WCHAR longname[300];
  HANDLE h = DEADBEEF;
  wmemset(longname, L'P', 299);
  longname[299] = 0;
  const WCHAR *bad[] = {lone_surrogate, longname, L"PW,1", L"", L" PW1:"};
  ASSERT(open_port(f, L"PWO1:") != NULL);
  SetLastError(0);
  ASSERT(!f->m->pfnOpenPort(f->hmon, NULL, &h));
  ASSERT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  SetLastError(0);
  ASSERT(!f->m->pfnOpenPort(f->hmon, (LPWSTR)L"PWO1:", NULL));
  ASSERT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    SetLastError(0);
    ASSERT(!f->m->pfnOpenPort(f->hmon, (LPWSTR)bad[i], &h));
    ASSERT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    ASSERT(h == DEADBEEF);
  }
}

MT_TEST(openport_finds_port_names_case_insensitively) {
  HANDLE h = NULL;
  ASSERT(open_port(f, L"PWO2:") != NULL);
  ASSERT(f->m->pfnOpenPort(f->hmon, (LPWSTR)L"pwo2:", &h));
  ASSERT(f->m->pfnClosePort(h));
}

/* ---- jobs ---- */

MT_TEST(two_jobs_on_one_handle_then_close_all_succeed) {
  static const char a[] = "first job\n", b[] = "second job, longer\n";
  HANDLE port = open_port(f, L"PWJ1:");
  ASSERT(port != NULL);
  ASSERT(mt_print(f, port, L"one", a, sizeof a - 1, 4096));
  ASSERT(mt_print(f, port, L"two", b, sizeof b - 1, 4096));
  ASSERT(f->m->pfnClosePort(port));
  ASSERT_EQ(mt_count_entries(f->dir), 2);
}

MT_TEST(writeport_reports_the_full_count) {
  BYTE data[10000];
  DWORD written = 0xdeadbeef;
  HANDLE port = open_port(f, L"PWJ2:");
  ASSERT(port != NULL);
  mt_fill_pattern(data, sizeof data, 2);
  ASSERT(start_doc(f, port, L"count"));
  ASSERT(f->m->pfnWritePort(port, data, sizeof data, &written));
  ASSERT_EQ(written, sizeof data);
  ASSERT(f->m->pfnWritePort(port, data, 1, &written));
  ASSERT_EQ(written, 1);
  /* Zero bytes is a successful write of nothing, even with no buffer. */
  written = 0xdeadbeef;
  ASSERT(f->m->pfnWritePort(port, NULL, 0, &written));
  ASSERT_EQ(written, 0);
  ASSERT(f->m->pfnEndDocPort(port));
  ASSERT(f->m->pfnClosePort(port));
}

MT_TEST(multi_megabyte_job_in_4096_byte_chunks_is_byte_identical) {
  size_t len = 3 * 1024 * 1024 + 1234;
  BYTE *data = malloc(len), *got = NULL;
  WCHAR path[MT_PATH * 2];
  size_t got_len = 0;
  HANDLE port = open_port(f, L"PWJ3:");
  ASSERT(data != NULL);
  mt_fill_pattern(data, len, 3);
  int printed = port && mt_print(f, port, L"big", data, len, 4096);
  int closed = port && f->m->pfnClosePort(port);
  int one = mt_only_file(f->dir, path, MT_PATH * 2);
  int read = one && mt_read_file(path, &got, &got_len);
  int same = read && got_len == len && memcmp(got, data, len) == 0;
  free(data);
  free(got);
  ASSERT(printed);
  ASSERT(closed);
  ASSERT(one);
  ASSERT(read);
  ASSERT_EQ(got_len, len);
  ASSERT(same);
}

/* EndDocPort with no open document succeeds and does nothing (Wine 8.0,
 * observed: Windows' own Local Port monitor answers so in Wine's localmon
 * conformance test); WritePort without a document is a bad call. */
MT_TEST(writeport_without_startdocport_fails_and_enddocport_succeeds) {
  BYTE data[16] = {0};
  DWORD written = 0xdeadbeef;
  HANDLE port = open_port(f, L"PWJ4:");
  ASSERT(port != NULL);
  SetLastError(0);
  ASSERT(!f->m->pfnWritePort(port, data, sizeof data, &written));
  ASSERT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  ASSERT_EQ(written, 0);
  ASSERT(f->m->pfnEndDocPort(port));
  ASSERT_EQ(mt_count_entries(f->dir), 0);
  /* The handle is still good for a real job. */
  ASSERT(mt_print(f, port, L"after", data, sizeof data, 4096));
  ASSERT(f->m->pfnEndDocPort(port)); /* that job is over: nothing to end */
  ASSERT(f->m->pfnClosePort(port));
  ASSERT_EQ(mt_count_entries(f->dir), 1);
}

/* A second StartDocPort while a document is open succeeds and the open job
 * continues (Wine 8.0, observed: the answer of Windows' own Local Port
 * monitor in Wine's localmon conformance test). */
MT_TEST(startdocport_while_a_document_is_open_continues_the_job) {
  static const char a[] = "before the second StartDocPort|";
  static const char b[] = "after it";
  WCHAR path[MT_PATH * 2];
  BYTE *got = NULL;
  size_t len = 0;
  DWORD written = 0;
  HANDLE port = open_port(f, L"PWJ5:");
  ASSERT(port != NULL);
  ASSERT(start_doc(f, port, L"first"));
  ASSERT(f->m->pfnWritePort(port, (LPBYTE)a, sizeof a - 1, &written));
  ASSERT(start_doc(f, port, L"second"));
  ASSERT(f->m->pfnWritePort(port, (LPBYTE)b, sizeof b - 1, &written));
  ASSERT(f->m->pfnEndDocPort(port));
  ASSERT(f->m->pfnClosePort(port));
  ASSERT(mt_only_file(f->dir, path, MT_PATH * 2));
  ASSERT(mt_read_file(path, &got, &len));
  int same = len == sizeof a - 1 + sizeof b - 1 &&
             memcmp(got, a, sizeof a - 1) == 0 &&
             memcmp(got + sizeof a - 1, b, sizeof b - 1) == 0;
  free(got);
  ASSERT(same);
}

/* ---- SetPortTimeOuts ---- */

MT_TEST(setporttimeouts_on_an_open_port_succeeds) {
  COMMTIMEOUTS cto = {0};
  cto.ReadTotalTimeoutConstant = 2500;
  cto.WriteTotalTimeoutConstant = 60000;
  HANDLE port = open_port(f, L"PWT1:");
  ASSERT(port != NULL);
  SetLastError(0xdeadbeef);
  ASSERT(f->m->pfnSetPortTimeOuts(port, &cto, 0));
  /* Zeros mean "the port's defaults"; a job then runs as usual. */
  memset(&cto, 0, sizeof cto);
  ASSERT(f->m->pfnSetPortTimeOuts(port, &cto, 0));
  ASSERT(mt_print(f, port, L"timeouts", "abc", 3, 4096));
  /* ...and during a job too. */
  ASSERT(start_doc(f, port, L"during"));
  cto.WriteTotalTimeoutConstant = 1000;
  ASSERT(f->m->pfnSetPortTimeOuts(port, &cto, 0));
  ASSERT(f->m->pfnEndDocPort(port));
  ASSERT(f->m->pfnClosePort(port));
  ASSERT_EQ(mt_count_entries(f->dir), 2);
}

MT_TEST(setporttimeouts_with_reserved_or_null_fails_with_invalid_parameter) {
  COMMTIMEOUTS cto = {0};
  HANDLE port = open_port(f, L"PWT2:");
  ASSERT(port != NULL);
  SetLastError(0);
  ASSERT(!f->m->pfnSetPortTimeOuts(port, &cto, 1));
  ASSERT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  SetLastError(0);
  ASSERT(!f->m->pfnSetPortTimeOuts(port, NULL, 0));
  ASSERT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  ASSERT(f->m->pfnClosePort(port));
}

MT_TEST(writeport_rejects_null_count_and_null_buffer) {
  BYTE data[4] = {1, 2, 3, 4};
  DWORD written = 0xdeadbeef;
  HANDLE port = open_port(f, L"PWJ6:");
  ASSERT(port != NULL);
  ASSERT(start_doc(f, port, L"nulls"));
  SetLastError(0);
  ASSERT(!f->m->pfnWritePort(port, data, sizeof data, NULL));
  ASSERT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  SetLastError(0);
  ASSERT(!f->m->pfnWritePort(port, NULL, 4, &written));
  ASSERT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  ASSERT_EQ(written, 0);
  /* Argument errors do not poison the job. */
  ASSERT(f->m->pfnWritePort(port, data, sizeof data, &written));
  ASSERT(f->m->pfnEndDocPort(port));
  ASSERT(f->m->pfnClosePort(port));
}

/* ---- StartDocPort arguments ---- */

MT_TEST(startdocport_accepts_levels_1_and_2_and_rejects_others) {
  DOC_INFO_1W d1 = {(LPWSTR)L"level1", NULL, (LPWSTR)L"RAW"};
  DOC_INFO_2W d2 = {(LPWSTR)L"level2", NULL, (LPWSTR)L"RAW", 0, 0};
  HANDLE port = open_port(f, L"PWD1:");
  ASSERT(port != NULL);
  DWORD levels[] = {0, 3, 4};
  for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
    SetLastError(0);
    ASSERT(!f->m->pfnStartDocPort(port, NULL, 0, levels[i], (LPBYTE)&d1));
    ASSERT_EQ(GetLastError(), ERROR_INVALID_LEVEL);
  }
  SetLastError(0);
  ASSERT(!f->m->pfnStartDocPort(port, NULL, 0, 1, NULL));
  ASSERT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  ASSERT(f->m->pfnStartDocPort(port, NULL, 0, 1, (LPBYTE)&d1));
  ASSERT(f->m->pfnEndDocPort(port));
  ASSERT(f->m->pfnStartDocPort(port, NULL, 0, 2, (LPBYTE)&d2));
  ASSERT(f->m->pfnEndDocPort(port));
  ASSERT(f->m->pfnClosePort(port));
  ASSERT_EQ(mt_count_entries(f->dir), 2);
}

/* Printer and job id given but unknown to the spooler: GetJob and, after
 * delivery, SetJob fail; neither may fail the job. NULL strings are fine. */
MT_TEST(startdocport_tolerates_unknown_printer_and_null_strings) {
  DOC_INFO_1W nulls = {NULL, NULL, NULL};
  HANDLE port = open_port(f, L"PWD2:");
  ASSERT(port != NULL);
  ASSERT(f->m->pfnStartDocPort(port, (LPWSTR)L"No Such Printer (portway)", 7, 1,
                               (LPBYTE)&nulls));
  ASSERT(f->m->pfnEndDocPort(port));
  ASSERT(f->m->pfnStartDocPort(port, NULL, 0, 1, (LPBYTE)&nulls));
  ASSERT(f->m->pfnEndDocPort(port));
  ASSERT(f->m->pfnClosePort(port));
  ASSERT_EQ(mt_count_entries(f->dir), 2);
}

MT_TEST(startdocport_rejects_undecodable_or_overlong_strings) {
  static const WCHAR lone[] = {'d', 'o', 'c', 0xDC00, 0};
  WCHAR *huge = malloc((PWM_HUGE + 1) * sizeof(WCHAR));
  HANDLE port = open_port(f, L"PWD3:");
  ASSERT(huge != NULL);
  wmemset(huge, L'x', PWM_HUGE);
  huge[PWM_HUGE] = 0;
  DOC_INFO_1W bad_doc = {(LPWSTR)lone, NULL, (LPWSTR)L"RAW"};
  DOC_INFO_1W long_doc = {huge, NULL, (LPWSTR)L"RAW"};
  DOC_INFO_1W bad_type = {(LPWSTR)L"doc", NULL, (LPWSTR)lone};
  DOC_INFO_1W good = {(LPWSTR)L"doc", NULL, (LPWSTR)L"RAW"};
  DWORD e1, e2, e3, e4;
  BOOL r1, r2, r3, r4, ok;
  SetLastError(0);
  r1 = f->m->pfnStartDocPort(port, NULL, 0, 1, (LPBYTE)&bad_doc);
  e1 = GetLastError();
  SetLastError(0);
  r2 = f->m->pfnStartDocPort(port, NULL, 0, 1, (LPBYTE)&long_doc);
  e2 = GetLastError();
  SetLastError(0);
  r3 = f->m->pfnStartDocPort(port, NULL, 0, 1, (LPBYTE)&bad_type);
  e3 = GetLastError();
  SetLastError(0);
  r4 = f->m->pfnStartDocPort(port, (LPWSTR)lone, 9, 1, (LPBYTE)&good);
  e4 = GetLastError();
  /* None of them started a job. */
  ok = f->m->pfnStartDocPort(port, NULL, 0, 1, (LPBYTE)&good) &&
       f->m->pfnEndDocPort(port);
  free(huge);
  ASSERT(port != NULL);
  ASSERT(!r1 && !r2 && !r3 && !r4);
  ASSERT_EQ(e1, ERROR_INVALID_PARAMETER);
  ASSERT_EQ(e2, ERROR_INVALID_PARAMETER);
  ASSERT_EQ(e3, ERROR_INVALID_PARAMETER);
  ASSERT_EQ(e4, ERROR_INVALID_PARAMETER);
  ASSERT(ok);
  ASSERT(f->m->pfnClosePort(port));
}

/* Occurrences of `needle` (ASCII) in the monitor log. */
static int log_count(const char *needle) {
  WCHAR path[MT_PATH];
  BYTE *text = NULL;
  size_t len = 0;
  int n = 0;
  if (!ExpandEnvironmentStringsW(L"%ProgramData%\\portway\\portway.log", path,
                                 MT_PATH) ||
      !mt_read_file(path, &text, &len))
    return -1;
  text[len] = 0; /* mt_read_file leaves room for it */
  for (const char *p = (const char *)text; (p = strstr(p, needle)) != NULL; p++)
    n++;
  free(text);
  return n;
}

/* A delivered job with printer and job id is reported to the spooler with
 * SetJob exactly once; the printer here does not exist, so the attempt
 * shows as one warning in the log and the job still succeeds. Jobs without
 * a job id, or not delivered, are not reported. */
MT_TEST(enddocport_reports_a_delivered_job_to_the_spooler_once) {
  WCHAR printer[64];
  char needle[128];
  DOC_INFO_1W di = {(LPWSTR)L"setjob", NULL, (LPWSTR)L"RAW"};
  HANDLE port = open_port(f, L"PWSJ:");
  ASSERT(port != NULL);
  _snwprintf(printer, 64, L"pw-missing-%lu", (unsigned long)GetTickCount());
  sprintf(needle, "printer=\"%ls\" job=7: SetJob", printer);
  ASSERT_EQ(log_count(needle), 0);
  ASSERT(f->m->pfnStartDocPort(port, printer, 7, 1, (LPBYTE)&di));
  ASSERT(f->m->pfnEndDocPort(port));
  ASSERT_EQ(log_count(needle), 1);
  /* Aborted (closed without EndDocPort): not reported. */
  ASSERT(f->m->pfnStartDocPort(port, printer, 7, 1, (LPBYTE)&di));
  ASSERT(f->m->pfnClosePort(port));
  ASSERT_EQ(log_count(needle), 1);
  ASSERT_EQ(mt_count_entries(f->dir), 1);
}

/* ---- ReadPort ---- */

MT_TEST(readport_on_a_file_port_is_not_supported) {
  BYTE buf[16];
  DWORD got = 0xdeadbeef;
  HANDLE port = open_port(f, L"PWRD:");
  ASSERT(port != NULL);
  SetLastError(0);
  ASSERT(!f->m->pfnReadPort(port, buf, sizeof buf, &got));
  ASSERT_EQ(GetLastError(), ERROR_NOT_SUPPORTED);
  ASSERT_EQ(got, 0);
  ASSERT(start_doc(f, port, L"read"));
  got = 0xdeadbeef;
  SetLastError(0);
  ASSERT(!f->m->pfnReadPort(port, buf, sizeof buf, &got));
  ASSERT_EQ(GetLastError(), ERROR_NOT_SUPPORTED);
  ASSERT_EQ(got, 0);
  SetLastError(0);
  ASSERT(!f->m->pfnReadPort(port, buf, sizeof buf, NULL));
  ASSERT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  ASSERT(f->m->pfnEndDocPort(port));
  ASSERT(f->m->pfnClosePort(port));
}

/* ---- handles ---- */

/* Every port-handle entry point rejects `h` with ERROR_INVALID_HANDLE. */
static int all_reject(mt_fx *f, HANDLE h) {
  BYTE buf[8] = {0};
  DWORD n = 0xdeadbeef;
  DOC_INFO_1W di = {(LPWSTR)L"x", NULL, (LPWSTR)L"RAW"};
  SetLastError(0);
  CHECK_OR_RETURN(!f->m->pfnStartDocPort(h, NULL, 0, 1, (LPBYTE)&di), 0);
  CHECK_OR_RETURN(GetLastError() == ERROR_INVALID_HANDLE, 0);
  SetLastError(0);
  CHECK_OR_RETURN(!f->m->pfnWritePort(h, buf, sizeof buf, &n), 0);
  CHECK_OR_RETURN(GetLastError() == ERROR_INVALID_HANDLE && n == 0, 0);
  SetLastError(0);
  CHECK_OR_RETURN(!f->m->pfnReadPort(h, buf, sizeof buf, &n), 0);
  CHECK_OR_RETURN(GetLastError() == ERROR_INVALID_HANDLE && n == 0, 0);
  SetLastError(0);
  CHECK_OR_RETURN(!f->m->pfnEndDocPort(h), 0);
  CHECK_OR_RETURN(GetLastError() == ERROR_INVALID_HANDLE, 0);
  SetLastError(0);
  COMMTIMEOUTS cto = {0};
  CHECK_OR_RETURN(!f->m->pfnSetPortTimeOuts(h, &cto, 0), 0);
  CHECK_OR_RETURN(GetLastError() == ERROR_INVALID_HANDLE, 0);
  SetLastError(0);
  CHECK_OR_RETURN(!f->m->pfnClosePort(h), 0);
  CHECK_OR_RETURN(GetLastError() == ERROR_INVALID_HANDLE, 0);
  return 1;
}

MT_TEST(null_garbage_and_stack_handles_are_invalid) {
  BYTE stack[64];
  memset(stack, 0x5a, sizeof stack);
  ASSERT(all_reject(f, NULL));
  ASSERT(all_reject(f, (HANDLE)(ULONG_PTR)0x1234));
  ASSERT(all_reject(f, (HANDLE)stack));
  ASSERT(all_reject(f, DEADBEEF));
  ASSERT(all_reject(f, (HANDLE)(ULONG_PTR)-1));
}

MT_TEST(closeport_twice_fails_with_invalid_handle) {
  HANDLE port = open_port(f, L"PWH1:");
  ASSERT(port != NULL);
  ASSERT(f->m->pfnClosePort(port));
  SetLastError(0);
  ASSERT(!f->m->pfnClosePort(port));
  ASSERT_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  /* ...and every other call on the closed handle fails the same way. */
  ASSERT(all_reject(f, port));
}

MT_TEST(port_and_xcv_handles_are_not_interchangeable) {
  HANDLE port = open_port(f, L"PWH2:"), xcv = NULL;
  DWORD needed;
  ASSERT(port != NULL);
  ASSERT(f->m->pfnXcvOpenPort(f->hmon, L"PWH2:", 0, &xcv));
  ASSERT(all_reject(f, xcv));
  SetLastError(0);
  ASSERT(!f->m->pfnXcvClosePort(port));
  ASSERT_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  ASSERT_EQ(f->m->pfnXcvDataPort(port, L"MonitorUI", NULL, 0, NULL, 0, &needed),
            ERROR_INVALID_HANDLE);
  ASSERT(f->m->pfnXcvClosePort(xcv));
  ASSERT(f->m->pfnClosePort(port));
}

MT_TEST(closeport_with_an_open_job_leaves_no_file) {
  BYTE data[5000];
  DWORD written = 0;
  HANDLE port = open_port(f, L"PWH3:");
  ASSERT(port != NULL);
  mt_fill_pattern(data, sizeof data, 4);
  ASSERT(start_doc(f, port, L"abandoned"));
  ASSERT(f->m->pfnWritePort(port, data, sizeof data, &written));
  ASSERT(f->m->pfnClosePort(port));
  ASSERT_EQ(mt_count_entries(f->dir), 0);
}

/* A port deleted while a job runs: the job finishes with the configuration
 * it started with; new opens fail. */
MT_TEST(deleting_a_port_lets_its_running_job_finish) {
  BYTE data[100];
  DWORD written = 0;
  HANDLE port = open_port(f, L"PWH4:"), again = DEADBEEF;
  ASSERT(port != NULL);
  mt_fill_pattern(data, sizeof data, 5);
  ASSERT(start_doc(f, port, L"orphan"));
  ASSERT_EQ(mt_delete_port(f, L"PWH4:"), ERROR_SUCCESS);
  ASSERT(f->m->pfnWritePort(port, data, sizeof data, &written));
  ASSERT(f->m->pfnEndDocPort(port));
  ASSERT(f->m->pfnClosePort(port));
  ASSERT_EQ(mt_count_entries(f->dir), 1);
  SetLastError(0);
  ASSERT(!f->m->pfnOpenPort(f->hmon, (LPWSTR)L"PWH4:", &again));
  ASSERT_EQ(GetLastError(), ERROR_UNKNOWN_PORT);
  ASSERT(again == DEADBEEF);
}

/* DeletePort retires the port for handles opened before it: the running
 * job finished (above); a new StartDocPort fails as for an unknown port. */
MT_TEST(startdocport_on_a_handle_of_a_deleted_port_fails_unknown_port) {
  HANDLE port = open_port(f, L"PWH5:");
  ASSERT(port != NULL);
  ASSERT_EQ(mt_delete_port(f, L"PWH5:"), ERROR_SUCCESS);
  SetLastError(0);
  ASSERT(!start_doc(f, port, L"late"));
  ASSERT_EQ(GetLastError(), ERROR_UNKNOWN_PORT);
  ASSERT(f->m->pfnClosePort(port));
  ASSERT_EQ(mt_count_entries(f->dir), 0);
}

/* Another instance over the same registry (under Wine: another process)
 * reconfigures and then deletes a port this instance has open: the next
 * StartDocPort here uses the new configuration, then fails. */
MT_TEST(a_port_changed_by_another_instance_is_current_at_startdocport) {
  static const char data[] = "moved";
  WCHAR other[MT_PATH], config[MT_PATH * 3];
  HANDLE port = open_port(f, L"PWH6:");
  ASSERT(port != NULL);
  ASSERT(mt_print(f, port, L"before", data, sizeof data - 1, 4096));
  ASSERT_EQ(mt_count_entries(f->dir), 1);
  ASSERT(mt_make_dir(NULL, other, MT_PATH));
  mt_file_config(other, config, MT_PATH * 3);
  /* The second instance: same MONITORINIT, its own hMonitor. */
  HANDLE hmon2 = NULL;
  LPMONITOR2 m2 = f->init_fn(&f->init, &hmon2);
  ASSERT(m2 != NULL && hmon2 != NULL);
  HANDLE hmon1 = f->hmon;
  LPMONITOR2 m1 = f->m;
  f->hmon = hmon2; /* mt_xcv talks to f's instance */
  f->m = m2;
  BYTE in[4096];
  DWORD cb = mt_strings(L"PWH6:", config, in, sizeof in);
  DWORD set = mt_xcv(f, PWM_TEST_MONITOR, SERVER_ACCESS_ADMINISTER,
                     L"SetConfig", in, cb, NULL, 0, NULL);
  f->hmon = hmon1;
  f->m = m1;
  ASSERT_EQ(set, ERROR_SUCCESS);
  ASSERT(mt_print(f, port, L"after", data, sizeof data - 1, 4096));
  int in_first = mt_count_entries(f->dir), in_other = mt_count_entries(other);
  /* Deleted over there: retired here. */
  f->hmon = hmon2;
  f->m = m2;
  DWORD del = mt_delete_port(f, L"PWH6:");
  f->hmon = hmon1;
  f->m = m1;
  m2->pfnShutdown(hmon2);
  SetLastError(0);
  BOOL started = start_doc(f, port, L"gone");
  DWORD err = GetLastError();
  ASSERT(f->m->pfnClosePort(port));
  mt_remove_tree(other);
  ASSERT_EQ(in_first, 1);
  ASSERT_EQ(in_other, 1);
  ASSERT_EQ(del, ERROR_SUCCESS);
  ASSERT(!started);
  ASSERT_EQ(err, ERROR_UNKNOWN_PORT);
}

TEST_MAIN(
    TEST_ENTRY(startdocport_on_a_handle_of_a_deleted_port_fails_unknown_port),
    TEST_ENTRY(a_port_changed_by_another_instance_is_current_at_startdocport),
    TEST_ENTRY(openport_unknown_port_fails_and_leaves_handle_untouched),
    TEST_ENTRY(openport_rejects_null_and_malformed_names),
    TEST_ENTRY(openport_finds_port_names_case_insensitively),
    TEST_ENTRY(two_jobs_on_one_handle_then_close_all_succeed),
    TEST_ENTRY(writeport_reports_the_full_count),
    TEST_ENTRY(multi_megabyte_job_in_4096_byte_chunks_is_byte_identical),
    TEST_ENTRY(writeport_without_startdocport_fails_and_enddocport_succeeds),
    TEST_ENTRY(startdocport_while_a_document_is_open_continues_the_job),
    TEST_ENTRY(setporttimeouts_on_an_open_port_succeeds),
    TEST_ENTRY(
        setporttimeouts_with_reserved_or_null_fails_with_invalid_parameter),
    TEST_ENTRY(writeport_rejects_null_count_and_null_buffer),
    TEST_ENTRY(startdocport_accepts_levels_1_and_2_and_rejects_others),
    TEST_ENTRY(startdocport_tolerates_unknown_printer_and_null_strings),
    TEST_ENTRY(startdocport_rejects_undecodable_or_overlong_strings),
    TEST_ENTRY(enddocport_reports_a_delivered_job_to_the_spooler_once),
    TEST_ENTRY(readport_on_a_file_port_is_not_supported),
    TEST_ENTRY(null_garbage_and_stack_handles_are_invalid),
    TEST_ENTRY(closeport_twice_fails_with_invalid_handle),
    TEST_ENTRY(port_and_xcv_handles_are_not_interchangeable),
    TEST_ENTRY(closeport_with_an_open_job_leaves_no_file),
    TEST_ENTRY(deleting_a_port_lets_its_running_job_finish))

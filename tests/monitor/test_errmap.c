/* portway — the Win32 side of the one error model: the front's core ->
 * Win32 table (src/monitor/errmap.c), the platform's Win32/Winsock ->
 * pw_err mapping, and the thread's last OS error with the system's text
 * (FormatMessageW, as UTF-8). Runs on Windows or under Wine. */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <stdio.h>
#include <string.h>

#include "core/errbuf.h"
#include "platfix.h" /* plat_scratch, plat_in, plat_rmtree */
#include "platform/platform.h"
#include "platform/win32/win32_internal.h"
#include "portway/error.h"
#include "test.h"

/* portway.dll exports only InitializePrintMonitor2, so the table is compiled
 * into this test as it is into the DLL. */
#include "monitor/errmap.c"

#define CODE_(name, value, retry, text) name,
static const int all_codes[] = {PW_ERROR_LIST(CODE_)};
#undef CODE_
#define NCODES (sizeof all_codes / sizeof all_codes[0])

/* ---- core -> Win32 (what the spooler sees) ---- */

TEST(every_code_maps_to_a_win32_error_other_than_gen_failure) {
  for (size_t i = 0; i < NCODES; i++) {
    DWORD w = pwm_win32_error(all_codes[i]);
    if (all_codes[i] == PW_OK) {
      ASSERT_EQ(w, ERROR_SUCCESS);
      continue;
    }
    if (w == ERROR_SUCCESS || w == ERROR_GEN_FAILURE)
      fprintf(stderr, "  %s -> %lu\n", pw_errname(all_codes[i]),
              (unsigned long)w);
    ASSERT_NE(w, ERROR_SUCCESS); /* a failure never reads as success */
    ASSERT_NE(w, ERROR_GEN_FAILURE);
  }
}

TEST(a_value_that_is_no_code_maps_to_gen_failure_never_success) {
  ASSERT_EQ(pwm_win32_error(1), ERROR_GEN_FAILURE);
  ASSERT_EQ(pwm_win32_error(-33), ERROR_GEN_FAILURE);
  ASSERT_EQ(pwm_win32_error(-9999), ERROR_GEN_FAILURE);
}

TEST(important_codes_map_to_their_win32_meaning) {
  ASSERT_EQ(pwm_win32_error(PW_ENOSPC), ERROR_DISK_FULL);
  ASSERT_EQ(pwm_win32_error(PW_EXDEV), ERROR_NOT_SAME_DEVICE);
  ASSERT_EQ(pwm_win32_error(PW_ECANCELED), ERROR_OPERATION_ABORTED);
  ASSERT_EQ(pwm_win32_error(PW_EBADHANDLE), ERROR_INVALID_HANDLE);
  ASSERT_EQ(pwm_win32_error(PW_ENOMEM), ERROR_NOT_ENOUGH_MEMORY);
  ASSERT_EQ(pwm_win32_error(PW_EINVAL), ERROR_INVALID_PARAMETER);
  ASSERT_EQ(pwm_win32_error(PW_EACCES), ERROR_ACCESS_DENIED);
  ASSERT_EQ(pwm_win32_error(PW_ETIMEDOUT), ERROR_TIMEOUT);
  ASSERT_EQ(pwm_win32_error(PW_EABORTED), ERROR_WRITE_FAULT);
  ASSERT_EQ(pwm_win32_error(PW_ECONNREFUSED), ERROR_CONNECTION_REFUSED);
  ASSERT_EQ(pwm_win32_error(PW_EHOSTUNREACH), ERROR_HOST_UNREACHABLE);
  ASSERT_EQ(pwm_win32_error(PW_ENETUNREACH), ERROR_NETWORK_UNREACHABLE);
  ASSERT_EQ(pwm_win32_error(PW_ECONNRESET), ERROR_CONNECTION_ABORTED);
  ASSERT_EQ(pwm_win32_error(PW_ENOHOST), WSAHOST_NOT_FOUND);
  ASSERT_EQ(pwm_win32_error(PW_EPROTO), ERROR_BAD_NET_RESP);
  ASSERT_EQ(pwm_win32_error(PW_EPORTGONE), ERROR_UNKNOWN_PORT);
  ASSERT_EQ(pwm_win32_error(PW_ETLS), ERROR_BAD_NET_RESP);
  ASSERT_EQ(pwm_win32_error(PW_ECERT), (DWORD)TRUST_E_FAIL);
  ASSERT_EQ(pwm_win32_error(PW_EREJECTED), ERROR_INVALID_PRINTER_COMMAND);
}

/* ---- Win32 / Winsock -> pw_err (what the core sees) ---- */

TEST(not_same_device_maps_to_pw_exdev_not_to_not_supported) {
  ASSERT_EQ(pw_win32_err(ERROR_NOT_SAME_DEVICE), PW_EXDEV);
}

TEST(connection_and_cancel_codes_map_to_the_connection_codes) {
  ASSERT_EQ(pw_win32_err(ERROR_CONNECTION_REFUSED), PW_ECONNREFUSED);
  ASSERT_EQ(pw_win32_err(ERROR_HOST_UNREACHABLE), PW_EHOSTUNREACH);
  ASSERT_EQ(pw_win32_err(ERROR_NETWORK_UNREACHABLE), PW_ENETUNREACH);
  ASSERT_EQ(pw_win32_err(ERROR_CONNECTION_ABORTED), PW_ECONNRESET);
  ASSERT_EQ(pw_win32_err(ERROR_NETNAME_DELETED), PW_ECONNRESET);
  ASSERT_EQ(pw_win32_err(ERROR_OPERATION_ABORTED), PW_ECANCELED);
  ASSERT_EQ(pw_win32_err(ERROR_TIMEOUT), PW_ETIMEDOUT);
  ASSERT_EQ(pw_win32_wsa_err(WSAECONNREFUSED), PW_ECONNREFUSED);
  ASSERT_EQ(pw_win32_wsa_err(WSAECONNRESET), PW_ECONNRESET);
  ASSERT_EQ(pw_win32_wsa_err(WSAETIMEDOUT), PW_ETIMEDOUT);
  ASSERT_EQ(pw_win32_wsa_err(WSAEHOSTUNREACH), PW_EHOSTUNREACH);
  ASSERT_EQ(pw_win32_wsa_err(WSAENETUNREACH), PW_ENETUNREACH);
  ASSERT_EQ(pw_win32_wsa_err(WSAHOST_NOT_FOUND), PW_ENOHOST);
}

TEST(file_codes_keep_their_mapping) {
  ASSERT_EQ(pw_win32_err(ERROR_FILE_NOT_FOUND), PW_ENOENT);
  ASSERT_EQ(pw_win32_err(ERROR_DISK_FULL), PW_ENOSPC);
  ASSERT_EQ(pw_win32_err(ERROR_ACCESS_DENIED), PW_EACCES);
  ASSERT_EQ(pw_win32_err(ERROR_NOT_SUPPORTED), PW_ENOTSUP);
  ASSERT_EQ(pw_win32_err(ERROR_CRC), PW_EIO);
}

/* ---- the thread's last OS error and its text ---- */

/* Text after "<label> <code>: ", checked to be one clean line. */
static const char *message_part(const char *text, const char *prefix) {
  size_t n = strlen(prefix), len = strlen(text);
  if (strncmp(text, prefix, n) != 0 || len <= n)
    return NULL;
  if (strpbrk(text, "\r\n") || text[len - 1] == '.' || text[len - 1] == ' ')
    return NULL;
  return text + n;
}

TEST(failed_create_in_a_missing_directory_leaves_the_win32_error) {
  const char *dir = plat_scratch();
  ASSERT(dir);
  pw_os_error_clear();
  pw_file *f = NULL;
  int err = pw_file_create_new(plat_in(dir, "missing/a.prn"), &f);
  pw_os_error e = pw_os_last_error();
  plat_rmtree(dir);
  ASSERT_EQ(err, PW_ENOENT);
  ASSERT(f == NULL);
  ASSERT_EQ(e.domain, PW_OSERR_WIN32);
  ASSERT_EQ(e.code, ERROR_PATH_NOT_FOUND);
  ASSERT_EQ(e.err, PW_ENOENT);
  char text[PW_OS_ERROR_TEXT_MAX];
  pw_os_error_text(e, text, sizeof text);
  fprintf(stderr, "  %s\n", text);
  ASSERT(message_part(text, "Win32 error 3: ") != NULL);
}

TEST(errbuf_os_names_the_win32_error_of_the_failing_call) {
  const char *dir = plat_scratch();
  ASSERT(dir);
  pw_file *f = NULL;
  int err = pw_file_create_new(plat_in(dir, "missing/a.prn"), &f);
  char buf[256];
  pw_errbuf_os(buf, sizeof buf, err, "cannot create %s", "a.prn");
  plat_rmtree(dir);
  ASSERT_EQ(err, PW_ENOENT);
  fprintf(stderr, "  %s\n", buf);
  ASSERT(strncmp(buf, "cannot create a.prn (Win32 error 3: ", 36) == 0);
  ASSERT(buf[strlen(buf) - 1] == ')');
}

TEST(win32_error_text_is_the_system_message_on_one_line) {
  pw_os_error e = {PW_OSERR_WIN32, ERROR_ACCESS_DENIED, PW_EACCES};
  char text[PW_OS_ERROR_TEXT_MAX];
  pw_os_error_text(e, text, sizeof text);
  fprintf(stderr, "  %s\n", text);
  const char *msg = message_part(text, "Win32 error 5: ");
  ASSERT(msg != NULL);
  /* "Access is denied." on Windows, "Access denied." on Wine 8.0, observed */
  ASSERT(strstr(msg, "denied") != NULL);
}

TEST(wsa_error_is_recorded_and_named_as_such) {
  pw_os_error_clear();
  ASSERT_EQ(pw_win32_wsa_err(WSAECONNREFUSED), PW_ECONNREFUSED);
  pw_os_error e = pw_os_last_error();
  ASSERT_EQ(e.domain, PW_OSERR_WSA);
  ASSERT_EQ(e.code, WSAECONNREFUSED);
  char text[PW_OS_ERROR_TEXT_MAX];
  pw_os_error_text(e, text, sizeof text);
  fprintf(stderr, "  %s\n", text);
  ASSERT(strncmp(text, "WSA error 10061", 15) == 0);
}

TEST(a_code_without_system_text_still_names_its_number) {
  pw_os_error e = {PW_OSERR_WIN32, 0x2000ABCDL, PW_EIO};
  char text[PW_OS_ERROR_TEXT_MAX];
  pw_os_error_text(e, text, sizeof text);
  ASSERT_STREQ(text, "Win32 error 536914893");
}

TEST(win32_error_text_is_bounded) {
  pw_os_error e = {PW_OSERR_WIN32, ERROR_ACCESS_DENIED, PW_EACCES};
  char text[20];
  memset(text, 'Z', sizeof text);
  pw_os_error_text(e, text, 16);
  ASSERT(strlen(text) <= 15);
  ASSERT(strncmp(text, "Win32 error 5:", 14) == 0);
  ASSERT_EQ(text[16], 'Z');
  pw_os_error none = {PW_OSERR_NONE, 0, 0};
  pw_os_error_text(none, text, sizeof text);
  ASSERT_STREQ(text, "no OS error");
}

TEST_MAIN(
    TEST_ENTRY(every_code_maps_to_a_win32_error_other_than_gen_failure),
    TEST_ENTRY(a_value_that_is_no_code_maps_to_gen_failure_never_success),
    TEST_ENTRY(important_codes_map_to_their_win32_meaning),
    TEST_ENTRY(not_same_device_maps_to_pw_exdev_not_to_not_supported),
    TEST_ENTRY(connection_and_cancel_codes_map_to_the_connection_codes),
    TEST_ENTRY(file_codes_keep_their_mapping),
    TEST_ENTRY(failed_create_in_a_missing_directory_leaves_the_win32_error),
    TEST_ENTRY(errbuf_os_names_the_win32_error_of_the_failing_call),
    TEST_ENTRY(win32_error_text_is_the_system_message_on_one_line),
    TEST_ENTRY(wsa_error_is_recorded_and_named_as_such),
    TEST_ENTRY(a_code_without_system_text_still_names_its_number),
    TEST_ENTRY(win32_error_text_is_bounded))

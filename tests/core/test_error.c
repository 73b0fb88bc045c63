/* portway — the one error model: the code list (portway/error.h), its names,
 * texts and transient/fatal classes, errno -> pw_err, the thread's last OS
 * error and its text, and errbuf lines that carry it. */
#include <errno.h>

#include "core/errbuf.h"
#include "memstore.h" /* test_tmpdir, test_rmtree */
#include "platform/platform.h"
#include "platform/posix/posix_internal.h"
#include "portway/error.h"
#include "test.h"

/* Every code, straight from the list: a new code is checked without
 * touching this file. */
#define CODE_(name, value, retry, text) name,
static const int all_codes[] = {PW_ERROR_LIST(CODE_)};
#undef CODE_
#define NAME_(name, value, retry, text) #name,
static const char *const all_names[] = {PW_ERROR_LIST(NAME_)};
#undef NAME_
#define NCODES (sizeof all_codes / sizeof all_codes[0])

TEST(every_code_has_a_distinct_value_zero_or_negative) {
  ASSERT_EQ(all_codes[0], PW_OK);
  ASSERT_EQ(PW_OK, 0);
  for (size_t i = 0; i < NCODES; i++) {
    ASSERT(all_codes[i] <= 0);
    for (size_t j = 0; j < i; j++)
      ASSERT_NE(all_codes[i], all_codes[j]);
  }
}

TEST(existing_values_never_change) {
  ASSERT_EQ(PW_ENOMEM, -1);
  ASSERT_EQ(PW_ENOSPC, -9);
  ASSERT_EQ(PW_ENOTFOUNDCMD, -20);
  ASSERT_EQ(PW_ECANCELED, -21);
  ASSERT_EQ(PW_EXDEV, -28);
  ASSERT_EQ(PW_EPORTGONE, -29);
  ASSERT_EQ(PW_ETLS, -30);
  ASSERT_EQ(PW_ECERT, -31);
  ASSERT_EQ(PW_EREJECTED, -32);
}

TEST(every_code_has_a_distinct_symbolic_name_spelled_as_in_the_enum) {
  for (size_t i = 0; i < NCODES; i++) {
    const char *name = pw_errname(all_codes[i]);
    ASSERT_STREQ(name, all_names[i]);
    ASSERT(strncmp(name, "PW_", 3) == 0);
    for (size_t j = 0; j < i; j++)
      ASSERT(strcmp(name, pw_errname(all_codes[j])) != 0);
  }
  ASSERT_STREQ(pw_errname(PW_ENOENT), "PW_ENOENT");
  ASSERT_STREQ(pw_errname(PW_EXDEV), "PW_EXDEV");
}

TEST(every_code_has_a_distinct_nonempty_text) {
  for (size_t i = 0; i < NCODES; i++) {
    const char *text = pw_strerror(all_codes[i]);
    ASSERT(text != NULL && text[0] != '\0');
    ASSERT(strcmp(text, "unknown error") != 0);
    for (size_t j = 0; j < i; j++)
      ASSERT(strcmp(text, pw_strerror(all_codes[j])) != 0);
  }
}

TEST(unknown_codes_give_unknown_error_and_pw_e_question_mark) {
  const int unknown[] = {1, -33, -9999, 12345};
  for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
    ASSERT_STREQ(pw_strerror(unknown[i]), "unknown error");
    ASSERT_STREQ(pw_errname(unknown[i]), "PW_E?");
    ASSERT_EQ(pw_err_is_transient(unknown[i]), 0);
  }
}

TEST(timeouts_refusals_resets_unreachables_and_busy_are_transient) {
  ASSERT_EQ(pw_err_is_transient(PW_ETIMEDOUT), 1);
  ASSERT_EQ(pw_err_is_transient(PW_ECONNREFUSED), 1);
  ASSERT_EQ(pw_err_is_transient(PW_ECONNRESET), 1);
  ASSERT_EQ(pw_err_is_transient(PW_EHOSTUNREACH), 1);
  ASSERT_EQ(pw_err_is_transient(PW_ENETUNREACH), 1);
  ASSERT_EQ(pw_err_is_transient(PW_EBUSY), 1);
}

TEST(success_cancel_and_permanent_failures_are_not_transient) {
  ASSERT_EQ(pw_err_is_transient(PW_OK), 0);
  ASSERT_EQ(pw_err_is_transient(PW_ECANCELED), 0); /* never retry a cancel */
  ASSERT_EQ(pw_err_is_transient(PW_ENOSPC), 0);
  ASSERT_EQ(pw_err_is_transient(PW_EACCES), 0);
  ASSERT_EQ(pw_err_is_transient(PW_ENOHOST), 0);
  ASSERT_EQ(pw_err_is_transient(PW_EPROTO), 0);
  ASSERT_EQ(pw_err_is_transient(PW_EABORTED), 0);
  ASSERT_EQ(pw_err_is_transient(PW_EPORTGONE), 0);
  /* a certificate or a refusal does not change by waiting */
  ASSERT_EQ(pw_err_is_transient(PW_ETLS), 0);
  ASSERT_EQ(pw_err_is_transient(PW_ECERT), 0);
  ASSERT_EQ(pw_err_is_transient(PW_EREJECTED), 0);
}

/* ---- errno -> pw_err ---- */

TEST(exdev_maps_to_pw_exdev_not_to_not_supported) {
  ASSERT_EQ(pw_posix_err(EXDEV), PW_EXDEV);
}

TEST(connection_errnos_map_to_the_connection_codes) {
  ASSERT_EQ(pw_posix_err(ECONNREFUSED), PW_ECONNREFUSED);
  ASSERT_EQ(pw_posix_err(ECONNRESET), PW_ECONNRESET);
  ASSERT_EQ(pw_posix_err(EPIPE), PW_ECONNRESET);
  ASSERT_EQ(pw_posix_err(EHOSTUNREACH), PW_EHOSTUNREACH);
  ASSERT_EQ(pw_posix_err(ENETUNREACH), PW_ENETUNREACH);
  ASSERT_EQ(pw_posix_err(ETIMEDOUT), PW_ETIMEDOUT);
  ASSERT_EQ(pw_posix_err(ECANCELED), PW_ECANCELED);
  ASSERT_EQ(pw_posix_err(EPROTO), PW_EPROTO);
}

TEST(file_errnos_keep_their_mapping) {
  ASSERT_EQ(pw_posix_err(ENOENT), PW_ENOENT);
  ASSERT_EQ(pw_posix_err(ENOSPC), PW_ENOSPC);
  ASSERT_EQ(pw_posix_err(EFBIG), PW_ENOSPC);
  ASSERT_EQ(pw_posix_err(EACCES), PW_EACCES);
  ASSERT_EQ(pw_posix_err(ENOSYS), PW_ENOTSUP);
  ASSERT_EQ(pw_posix_err(EIO), PW_EIO);
  ASSERT_EQ(pw_posix_err(0), PW_EIO);
}

/* ---- the thread's last OS error ---- */

TEST(mapping_an_errno_records_it_as_the_last_os_error) {
  pw_os_error_clear();
  ASSERT_EQ(pw_os_last_error().domain, PW_OSERR_NONE);
  ASSERT_EQ(pw_posix_err(ENOSPC), PW_ENOSPC);
  pw_os_error e = pw_os_last_error();
  ASSERT_EQ(e.domain, PW_OSERR_ERRNO);
  ASSERT_EQ(e.code, ENOSPC);
  ASSERT_EQ(e.err, PW_ENOSPC);
  pw_os_error_clear();
  ASSERT_EQ(pw_os_last_error().domain, PW_OSERR_NONE);
}

TEST(failed_create_in_a_missing_directory_leaves_errno_enoent) {
  char *dir = test_tmpdir("err");
  ASSERT(dir);
  char path[1024];
  snprintf(path, sizeof path, "%s/missing/a.prn", dir);
  pw_os_error_clear();
  pw_file *f = NULL;
  int err = pw_file_create_new(path, &f);
  pw_os_error e = pw_os_last_error();
  char text[PW_OS_ERROR_TEXT_MAX];
  pw_os_error_text(e, text, sizeof text);
  test_rmtree(dir);
  free(dir);
  ASSERT_EQ(err, PW_ENOENT);
  ASSERT(f == NULL);
  ASSERT_EQ(e.domain, PW_OSERR_ERRNO);
  ASSERT_EQ(e.code, ENOENT);
  ASSERT_EQ(e.err, PW_ENOENT);
  char want[32];
  snprintf(want, sizeof want, "errno %d: ", ENOENT);
  ASSERT(strncmp(text, want, strlen(want)) == 0);
  ASSERT(strstr(text, "No such file") != NULL);
}

TEST(os_error_text_names_the_errno_and_its_message) {
  pw_os_error e = {PW_OSERR_ERRNO, ENOSPC, PW_ENOSPC};
  char text[PW_OS_ERROR_TEXT_MAX];
  pw_os_error_text(e, text, sizeof text);
  char want[64];
  snprintf(want, sizeof want, "errno %d: No space left on device", ENOSPC);
  ASSERT_STREQ(text, want);
  pw_os_error none = {PW_OSERR_NONE, 0, 0};
  pw_os_error_text(none, text, sizeof text);
  ASSERT_STREQ(text, "no OS error");
}

TEST(os_error_text_is_bounded_and_cut_cleanly) {
  pw_os_error e = {PW_OSERR_ERRNO, 28, PW_ENOSPC};
  char text[12];
  memset(text, 'Z', sizeof text);
  pw_os_error_text(e, text, 10);   /* "errno 28: No space..." */
  ASSERT_STREQ(text, "errno 28:"); /* 9 bytes + NUL, trailing space gone */
  ASSERT_EQ(text[10], 'Z');
  pw_os_error_text(e, text, 1);
  ASSERT_STREQ(text, "");
  pw_os_error_text(e, NULL, 10); /* must not crash */
}

static void record_on_another_thread(void *arg) {
  pw_os_error *seen = arg;
  seen[0] = pw_os_last_error(); /* before: this thread's own, none */
  (void)pw_posix_err(ECONNREFUSED);
  seen[1] = pw_os_last_error();
}

TEST(the_last_os_error_belongs_to_the_thread_that_failed) {
  pw_os_error_clear();
  (void)pw_posix_err(ENOSPC);
  pw_os_error seen[2];
  pw_thread *t;
  ASSERT_EQ(pw_thread_start(&t, record_on_another_thread, seen), PW_OK);
  ASSERT_EQ(pw_thread_join(t), PW_OK);
  pw_os_error mine = pw_os_last_error();
  ASSERT_EQ(seen[0].domain, PW_OSERR_NONE);
  ASSERT_EQ(seen[1].code, ECONNREFUSED);
  ASSERT_EQ(mine.domain, PW_OSERR_ERRNO);
  ASSERT_EQ(mine.code, ENOSPC);
}

/* ---- errbuf lines carrying the OS error ---- */

TEST(errbuf_os_appends_the_os_error_of_the_failing_call) {
  pw_os_error_clear();
  int err = pw_posix_err(ENOSPC);
  char buf[128];
  pw_errbuf_os(buf, sizeof buf, err, "cannot write %s", "a.prn");
  char want[128];
  snprintf(want, sizeof want,
           "cannot write a.prn (errno %d: No space left on device)", ENOSPC);
  ASSERT_STREQ(buf, want);
}

TEST(errbuf_os_leaves_out_a_stale_os_error_of_another_failure) {
  pw_os_error_clear();
  (void)pw_posix_err(ENOSPC); /* an earlier, unrelated failure */
  char buf[128];
  pw_errbuf_os(buf, sizeof buf, PW_EINVAL, "bad %s", "pattern");
  ASSERT_STREQ(buf, "bad pattern");
  pw_os_error_clear();
  pw_errbuf_os(buf, sizeof buf, PW_ENOSPC, "full");
  ASSERT_STREQ(buf, "full");
}

TEST(errbuf_os_truncates_and_accepts_no_buffer) {
  pw_os_error_clear();
  int err = pw_posix_err(ENOENT);
  char buf[16];
  pw_errbuf_os(buf, sizeof buf, err, "cannot open %s", "x");
  ASSERT_STREQ(buf, "cannot open x (");
  pw_errbuf_os(NULL, 0, err, "ignored");
  pw_errbuf_os(buf, 0, err, "ignored");
  ASSERT_STREQ(buf, "cannot open x (");
}

TEST_MAIN(
    TEST_ENTRY(every_code_has_a_distinct_value_zero_or_negative),
    TEST_ENTRY(existing_values_never_change),
    TEST_ENTRY(every_code_has_a_distinct_symbolic_name_spelled_as_in_the_enum),
    TEST_ENTRY(every_code_has_a_distinct_nonempty_text),
    TEST_ENTRY(unknown_codes_give_unknown_error_and_pw_e_question_mark),
    TEST_ENTRY(timeouts_refusals_resets_unreachables_and_busy_are_transient),
    TEST_ENTRY(success_cancel_and_permanent_failures_are_not_transient),
    TEST_ENTRY(exdev_maps_to_pw_exdev_not_to_not_supported),
    TEST_ENTRY(connection_errnos_map_to_the_connection_codes),
    TEST_ENTRY(file_errnos_keep_their_mapping),
    TEST_ENTRY(mapping_an_errno_records_it_as_the_last_os_error),
    TEST_ENTRY(failed_create_in_a_missing_directory_leaves_errno_enoent),
    TEST_ENTRY(the_last_os_error_belongs_to_the_thread_that_failed),
    TEST_ENTRY(os_error_text_names_the_errno_and_its_message),
    TEST_ENTRY(os_error_text_is_bounded_and_cut_cleanly),
    TEST_ENTRY(errbuf_os_appends_the_os_error_of_the_failing_call),
    TEST_ENTRY(errbuf_os_leaves_out_a_stale_os_error_of_another_failure),
    TEST_ENTRY(errbuf_os_truncates_and_accepts_no_buffer))

/* portway — minimal test harness shared by native and Windows-side tests.
 *
 * Usage:
 *   #include "test.h"
 *   TEST(uri_rejects_missing_scheme) { ASSERT_EQ(pw_uri_parse("x", &u),
 * PW_EBADCONFIG); }
 *   ...
 *   TEST_MAIN(TEST_ENTRY(uri_rejects_missing_scheme), ...)
 *
 * Each test runs in order in one process (so sanitizers and valgrind see
 * everything); a failing ASSERT reports file:line, the expression and both
 * values, and ends that test. The program prints one line per test and a
 * closing "N passed, N failed" line; exit status is non-zero on failure.
 * `argv[1]`, if given, runs only tests whose name contains it.
 */
#ifndef PORTWAY_TEST_H
#define PORTWAY_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pw_test_entry {
  const char *name;
  void (*fn)(void);
} pw_test_entry;

/* Set by ASSERT on failure; the runner checks it after each test. */
static int pw_test_failed_;

#define TEST(name) static void test_##name(void)
#define TEST_ENTRY(name)                                                       \
  { #name, test_##name }

#define PW_TEST_FAIL_(fmt, ...)                                                \
  do {                                                                         \
    fprintf(stderr, "  FAIL %s:%d: " fmt "\n", __FILE__, __LINE__,             \
            __VA_ARGS__);                                                      \
    pw_test_failed_ = 1;                                                       \
    return;                                                                    \
  } while (0)

#define ASSERT(cond)                                                           \
  do {                                                                         \
    if (!(cond))                                                               \
      PW_TEST_FAIL_("%s", #cond);                                              \
  } while (0)

#define ASSERT_EQ(a, b)                                                        \
  do {                                                                         \
    long long pw_a_ = (long long)(a), pw_b_ = (long long)(b);                  \
    if (pw_a_ != pw_b_)                                                        \
      PW_TEST_FAIL_("%s == %s (%lld != %lld)", #a, #b, pw_a_, pw_b_);          \
  } while (0)

#define ASSERT_NE(a, b)                                                        \
  do {                                                                         \
    long long pw_a_ = (long long)(a), pw_b_ = (long long)(b);                  \
    if (pw_a_ == pw_b_)                                                        \
      PW_TEST_FAIL_("%s != %s (both %lld)", #a, #b, pw_a_);                    \
  } while (0)

#define ASSERT_STREQ(a, b)                                                     \
  do {                                                                         \
    const char *pw_a_ = (a), *pw_b_ = (b);                                     \
    if (!pw_a_ || !pw_b_ || strcmp(pw_a_, pw_b_) != 0)                         \
      PW_TEST_FAIL_("%s == %s (\"%s\" != \"%s\")", #a, #b,                     \
                    pw_a_ ? pw_a_ : "(null)", pw_b_ ? pw_b_ : "(null)");       \
  } while (0)

/* Like ASSERT but for helper functions returning int (0 = ok). */
#define CHECK_OR_RETURN(cond, ret)                                             \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "  FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);        \
      pw_test_failed_ = 1;                                                     \
      return ret;                                                              \
    }                                                                          \
  } while (0)

static int pw_test_run_(const pw_test_entry *tests, size_t n, int argc,
                        char **argv) {
  int passed = 0, failed = 0;
  const char *filter = argc > 1 ? argv[1] : NULL;
  for (size_t i = 0; i < n; i++) {
    if (filter && !strstr(tests[i].name, filter))
      continue;
    pw_test_failed_ = 0;
    tests[i].fn();
    if (pw_test_failed_) {
      failed++;
      printf("not ok %s\n", tests[i].name);
    } else {
      passed++;
      printf("ok %s\n", tests[i].name);
    }
    fflush(stdout);
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

#define TEST_MAIN(...)                                                         \
  int main(int argc, char **argv) {                                            \
    static const pw_test_entry pw_tests_[] = {__VA_ARGS__};                    \
    return pw_test_run_(pw_tests_, sizeof pw_tests_ / sizeof pw_tests_[0],     \
                        argc, argv);                                           \
  }

#endif

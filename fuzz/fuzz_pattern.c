/* libFuzzer target: filename patterns and sanitization.
 * Input layout: 4 bytes of numbers (attempt, job id, small cap), then
 * NUL-separated strings: pattern, doc, user, machine, printer, port.
 * Invariants checked (abort() on violation):
 *  - a pattern that validates always expands into PW_MAX_FILENAME + 1
 *    bytes, to a name pw_filename_is_safe accepts;
 *  - into a smaller buffer, expansion either gives the same name or fails
 *    with PW_ENAMETOOLONG (never truncates);
 *  - an invalid pattern never expands;
 *  - sanitized components are safe, bounded, and unchanged by a second
 *    pass; pw_filename_is_safe(x) holds exactly when sanitizing keeps x. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "portway/error.h"
#include "portway/pattern.h"
#include "portway/utf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond) {
  if (!cond)
    abort();
}

static void check_sanitize(const char *s, size_t max) {
  char a[PW_MAX_FILENAME + 1], b[PW_MAX_FILENAME + 1];
  if (max == 0 || max > PW_MAX_FILENAME)
    max = PW_MAX_FILENAME;
  pw_sanitize_component(s, a, sizeof a, max);
  check(strlen(a) <= max);
  check(pw_filename_is_safe(a));
  pw_sanitize_component(a, b, sizeof b, max);
  check(strcmp(a, b) == 0);
  if (s && strlen(s) <= PW_MAX_FILENAME) {
    pw_sanitize_component(s, a, sizeof a, PW_MAX_FILENAME);
    check(pw_filename_is_safe(s) == (strcmp(a, s) == 0));
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 4 || size > 4096)
    return 0;
  unsigned attempt = 1u + (unsigned)data[0] * 257u + data[1];
  uint32_t job = (uint32_t)data[2] * 16777619u;
  size_t small_cap = data[3];
  char *buf = malloc(size - 4 + 1);
  if (!buf)
    return 0;
  memcpy(buf, data + 4, size - 4);
  buf[size - 4] = '\0';

  const char *fields[6] = {NULL};
  const char *end = buf + (size - 4);
  const char *p = buf;
  for (int i = 0; i < 6 && p <= end; i++) {
    fields[i] = p;
    p += strlen(p) + 1;
  }
  const char *pattern = fields[0];

  pw_pattern_vars v;
  memset(&v, 0, sizeof v);
  v.job_id = job;
  v.doc = fields[1];
  v.user = fields[2];
  v.machine = fields[3];
  v.printer = fields[4];
  v.port = fields[5];
  v.year = (int)data[0] * 40 - 100; /* includes out-of-range values */
  v.month = data[1] % 15;
  v.day = data[2] % 40;
  v.hour = (int)data[3] - 100;
  v.minute = data[3] % 70;
  v.second = data[0] % 70;

  char out[PW_MAX_FILENAME + 1];
  int valid = pw_pattern_validate(pattern, NULL, 0) == PW_OK;
  int rc = pw_pattern_expand(pattern, &v, attempt, out, sizeof out);
  if (!valid) {
    check(rc == PW_EBADCONFIG);
  } else {
    check(rc == PW_OK);
    check(strlen(out) <= PW_MAX_FILENAME);
    check(pw_filename_is_safe(out));
    check(strchr(out, '/') == NULL && strchr(out, '\\') == NULL);
    char *small = malloc(small_cap + 1);
    if (small) {
      int rc2 = pw_pattern_expand(pattern, &v, attempt, small, small_cap + 1);
      check(rc2 == PW_OK || rc2 == PW_ENAMETOOLONG);
      if (rc2 == PW_OK)
        check(strcmp(small, out) == 0);
      else
        check(strlen(out) > small_cap);
      free(small);
    }
  }

  for (int i = 0; i < 6; i++)
    check_sanitize(fields[i], small_cap);
  check_sanitize(NULL, small_cap);
  free(buf);
  return 0;
}

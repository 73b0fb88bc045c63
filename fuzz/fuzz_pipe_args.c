/* libFuzzer target: a program port's args template (src/core/dest/
 * pipe_args.c). Invariants checked (abort() on violation):
 *  - splitting never fails on memory and leaves a terminated array;
 *  - a template that splits and passes the token check expands, token by
 *    token, into exactly as many arguments, whatever the job's values;
 *  - values with control characters never bring one into an argument. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/dest/pipe_args.h"
#include "portway/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond) {
  if (!cond)
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 4096)
    return 0;
  char *tmpl = malloc(size + 1);
  if (!tmpl)
    return 0;
  memcpy(tmpl, data, size);
  tmpl[size] = '\0';
  pw_strv s;
  char why[128];
  int rc = pw_pipe_split_args(tmpl, &s, why, sizeof why);
  check(rc == PW_OK || rc == PW_EBADCONFIG);
  if (rc == PW_OK) {
    check(s.v != NULL && s.v[s.n] == NULL);
    if (pw_pipe_check_tokens(&s, 1, why, sizeof why) == PW_OK) {
      pw_pattern_vars v = {
          7, "a\" b\n&|<>^%\\", "us\ter", NULL, "prn", "PW1:", 2026, 1, 2, 3, 4,
          5};
      for (size_t i = 0; i < s.n; i++) {
        char *out = NULL;
        int e = pw_pipe_expand_arg(s.v[i], &v, "C:/out/x.pdf", &out);
        check(e == PW_OK || e == PW_ENAMETOOLONG);
        if (e == PW_OK) {
          for (const char *p = out; *p; p++)
            check((unsigned char)*p >= 0x20 || *p == '\t');
        }
        free(out);
      }
    }
    pw_strv_free(&s);
  }
  free(tmpl);
  return 0;
}

/* portway — POSIX: the job's user (platform.h). A POSIX host has no
 * spooler that impersonates the job's submitter, so there is no user to
 * run a program as: runas=user is refused here, never approximated. */
#include <stddef.h>

#include "platform/platform.h"
#include "portway/error.h"

struct pw_user {
  int unused;
};

int pw_user_from_caller(pw_user **out) {
  if (out)
    *out = NULL;
  return PW_ENOTSUP;
}

int pw_caller_session(unsigned long *session) {
  if (session)
    *session = 0;
  return PW_ENOTSUP;
}

unsigned long pw_user_session(const pw_user *u) {
  (void)u;
  return 0;
}

const char *pw_user_name(const pw_user *u) {
  (void)u;
  return "?";
}

char **pw_user_env(const pw_user *u) {
  (void)u;
  return NULL;
}

void pw_user_free(pw_user *u) {
  (void)u;
}

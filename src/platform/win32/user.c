/* portway — Windows: the job's user (platform.h, "the job's user").
 *
 * The spooler impersonates the submitter of a job on the thread that calls
 * StartDocPort. The thread's impersonation token (OpenThreadToken, opened
 * as ourselves so our own access decides) is duplicated into a primary
 * token, which CreateProcessAsUserW needs; the token's own TokenSessionId
 * is the session the program then runs in (a client's token carries the
 * session it logged on to). A thread without a token impersonates no one:
 * that is an error here, never a reason to use the process's identity.
 *
 * The environment is CreateEnvironmentBlock's for the token with
 * bInherit FALSE: the system's variables plus what the user's profile
 * gives if it happens to be loaded; the profile is never loaded for it
 * (LoadUserProfile would need the user's hive and a matching unload). */
#include "platform/win32/win32_internal.h"

#include <userenv.h>

#include <stdio.h>
#include <stdlib.h>

#include "platform/platform.h"
#include "portway/error.h"
#include "portway/utf.h"

struct pw_user {
  HANDLE token; /* primary */
  DWORD session;
  char name[256]; /* DOMAIN\name, UTF-8, or "?" */
};

/* DOMAIN\name of the token's user, best effort (for log lines). */
static void token_user_name(HANDLE token, char *out, size_t cap) {
  snprintf(out, cap, "?");
  DWORD size = 0;
  GetTokenInformation(token, TokenUser, NULL, 0, &size);
  TOKEN_USER *tu = size ? malloc(size) : NULL;
  if (!tu)
    return;
  wchar_t name[128], domain[128], full[260];
  DWORD nlen = 128, dlen = 128;
  SID_NAME_USE use;
  if (GetTokenInformation(token, TokenUser, tu, size, &size) &&
      LookupAccountSidW(NULL, tu->User.Sid, name, &nlen, domain, &dlen, &use)) {
    _snwprintf(full, 260, L"%ls%ls%ls", domain, domain[0] ? L"\\" : L"", name);
    full[259] = L'\0';
    char *u = NULL;
    if (pw_utf16_to_utf8((const uint16_t *)full, wcslen(full), &u) == PW_OK) {
      snprintf(out, cap, "%s", u);
      free(u);
    }
  }
  free(tu);
}

int pw_user_from_caller(pw_user **out) {
  if (!out)
    return PW_EINVAL;
  *out = NULL;
  HANDLE imp = NULL;
  /* No token (ERROR_NO_TOKEN): the thread impersonates no one. */
  if (!OpenThreadToken(GetCurrentThread(),
                       TOKEN_QUERY | TOKEN_DUPLICATE | TOKEN_ASSIGN_PRIMARY,
                       TRUE, &imp))
    return pw_win32_last_err();
  pw_user *u = calloc(1, sizeof *u);
  int err = u ? PW_OK : PW_ENOMEM;
  if (err == PW_OK &&
      !DuplicateTokenEx(imp, MAXIMUM_ALLOWED, NULL, SecurityImpersonation,
                        TokenPrimary, &u->token))
    err = pw_win32_last_err();
  DWORD got = 0;
  if (err == PW_OK &&
      !GetTokenInformation(u->token, TokenSessionId, &u->session,
                           sizeof u->session, &got))
    err = pw_win32_last_err();
  CloseHandle(imp);
  if (err != PW_OK) {
    pw_user_free(u);
    return err;
  }
  token_user_name(u->token, u->name, sizeof u->name);
  *out = u;
  return PW_OK;
}

int pw_caller_session(unsigned long *session) {
  if (!session)
    return PW_EINVAL;
  *session = 0;
  HANDLE t = NULL;
  if (!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &t))
    return PW_EACCES; /* nothing recorded: not a failure of anything */
  DWORD id = 0, got = 0;
  BOOL ok = GetTokenInformation(t, TokenSessionId, &id, sizeof id, &got);
  CloseHandle(t);
  if (!ok)
    return PW_EACCES;
  *session = id;
  return PW_OK;
}

unsigned long pw_user_session(const pw_user *u) {
  return u ? (unsigned long)u->session : 0;
}

const char *pw_user_name(const pw_user *u) {
  return u ? u->name : "?";
}

char **pw_user_env(const pw_user *u) {
  if (!u)
    return NULL;
  void *block = NULL;
  if (!CreateEnvironmentBlock(&block, u->token, FALSE)) {
    (void)pw_win32_last_err();
    return NULL;
  }
  char **env = pw_win32_env_from_block(block);
  DestroyEnvironmentBlock(block);
  return env;
}

HANDLE pw_win32_user_token(const pw_user *u) {
  return u ? u->token : NULL;
}

void pw_user_free(pw_user *u) {
  if (!u)
    return;
  if (u->token)
    CloseHandle(u->token);
  free(u);
}

/* portway — child processes on Win32: the command line and the
 * environment block CreateProcessW takes, built from UTF-8 argv and
 * "NAME=VALUE" strings (process.c starts the child). */
#include "platform/win32/process_internal.h"

#include <stdlib.h>
#include <string.h>

#include "portway/error.h"
#include "portway/utf.h"

#define PW_CMDLINE_MAX 32767u /* CreateProcessW's limit, NUL included */

typedef struct wbuf {
  wchar_t *p;
  size_t len, cap;
  int oom;
} wbuf;

static void put_n(wbuf *b, wchar_t c, size_t n) {
  if (b->oom)
    return;
  if (b->cap - b->len < n + 1) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < n + 1)
      cap *= 2;
    wchar_t *p = realloc(b->p, cap * sizeof *p);
    if (!p) {
      b->oom = 1;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  for (size_t i = 0; i < n; i++)
    b->p[b->len++] = c;
  b->p[b->len] = L'\0';
}

static void put_str(wbuf *b, const wchar_t *s) {
  for (; *s; s++)
    put_n(b, *s, 1);
}

static int needs_quotes(const wchar_t *a) {
  return !*a || wcspbrk(a, L" \t\n\v\"") != NULL;
}

/* One argument, quoted so that CommandLineToArgvW (and the CRT) give it
 * back: backslashes are literal except before a quote, where 2n + 1 of
 * them mean n and a literal quote, and before the closing quote. */
static void put_arg(wbuf *b, const wchar_t *a) {
  if (!needs_quotes(a)) {
    put_str(b, a);
    return;
  }
  put_n(b, L'"', 1);
  for (const wchar_t *s = a;; s++) {
    size_t bs = 0;
    while (*s == L'\\') {
      s++;
      bs++;
    }
    if (!*s) {
      put_n(b, L'\\', bs * 2); /* then the closing quote */
      break;
    }
    if (*s == L'"') {
      put_n(b, L'\\', bs * 2 + 1);
    } else {
      put_n(b, L'\\', bs);
    }
    put_n(b, *s, 1);
  }
  put_n(b, L'"', 1);
}

static int widen(const char *s, wchar_t **out) {
  uint16_t *u = NULL;
  int err = pw_utf8_to_utf16(s, &u, NULL);
  if (err != PW_OK)
    return err == PW_ENOMEM ? err : PW_EINVAL;
  *out = (wchar_t *)(void *)u;
  return PW_OK;
}

/* argv[0] is read by simpler rules (up to the next quote if it starts with
 * one, else up to white space; backslashes are literal), so it cannot hold
 * a quote. */
int pw_win32_cmdline(const char *const *argv, wchar_t **out) {
  wbuf b = {0};
  int err = PW_OK;
  for (size_t i = 0; argv[i] && err == PW_OK; i++) {
    wchar_t *w = NULL;
    err = widen(argv[i], &w);
    if (err != PW_OK)
      break;
    if (i > 0) {
      put_n(&b, L' ', 1);
      put_arg(&b, w);
    } else if (wcschr(w, L'"')) {
      err = PW_EINVAL;
    } else if (needs_quotes(w)) {
      put_n(&b, L'"', 1);
      put_str(&b, w);
      put_n(&b, L'"', 1);
    } else {
      put_str(&b, w);
    }
    free(w);
  }
  if (err == PW_OK && b.oom)
    err = PW_ENOMEM;
  if (err == PW_OK && b.len >= PW_CMDLINE_MAX)
    err = PW_EINVAL; /* too long for CreateProcessW */
  if (err != PW_OK) {
    free(b.p);
    return err;
  }
  *out = b.p;
  return PW_OK;
}

/* The name's length: up to the first '=' after the first character (names
 * such as "=C:" start with one). */
static size_t name_len(const wchar_t *s) {
  const wchar_t *eq = s[0] ? wcschr(s + 1, L'=') : NULL;
  return eq ? (size_t)(eq - s) : 0;
}

static int env_cmp(const void *a, const void *b) {
  const wchar_t *x = *(const wchar_t *const *)a;
  const wchar_t *y = *(const wchar_t *const *)b;
  int r = CompareStringOrdinal(x, (int)name_len(x), y, (int)name_len(y), TRUE);
  return r == CSTR_LESS_THAN ? -1 : r == CSTR_GREATER_THAN ? 1 : 0;
}

/* "NAME=VALUE" strings into a UTF-16 block sorted by name, case
 * insensitively, as Windows keeps it; "\0\0" when empty. */
int pw_win32_env_block(const char *const *env, wchar_t **out) {
  size_t n = 0;
  while (env[n])
    n++;
  wchar_t **vars = calloc(n + 1, sizeof *vars);
  if (!vars)
    return PW_ENOMEM;
  int err = PW_OK;
  size_t total = 2;
  for (size_t i = 0; i < n && err == PW_OK; i++) {
    err = widen(env[i], &vars[i]);
    if (err == PW_OK && name_len(vars[i]) == 0)
      err = PW_EINVAL; /* no "NAME=" */
    if (err == PW_OK)
      total += wcslen(vars[i]) + 1;
  }
  wchar_t *block = err == PW_OK ? calloc(total, sizeof *block) : NULL;
  if (err == PW_OK && !block)
    err = PW_ENOMEM;
  if (err == PW_OK) {
    qsort(vars, n, sizeof *vars, env_cmp);
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
      size_t len = wcslen(vars[i]) + 1;
      memcpy(block + at, vars[i], len * sizeof *block);
      at += len;
    }
    *out = block; /* calloc'd: the final NUL (two when empty) is there */
  }
  for (size_t i = 0; i < n; i++)
    free(vars[i]);
  free(vars);
  return err;
}
